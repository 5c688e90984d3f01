-- plugins/captcha.lua: newcomers restricted until they answer; wrong answers and time-outs removed;
-- join requests asked privately; settings per chat, admins only.
local SETTINGS = "warden:{chat:$group}:settings"

--- Steps that switch the captcha on in "group" (straight in Redis: the command has a case of its own).
local function on(extra, setup)
  local steps = { { redis = { "HSET", SETTINGS, "captcha.on", "1" } } }
  for _, step in ipairs(setup or {}) do steps[#steps + 1] = step end
  for _, step in ipairs(extra) do steps[#steps + 1] = step end
  return steps
end

local CAT = {
  { redis = { "HSET", SETTINGS, "captcha.mode", "question" } },
  { redis = { "HSET", SETTINGS, "captcha.question", "Which animal says meow?" } },
  { redis = { "HSET", SETTINGS, "captcha.answer", "cat" } },
  { redis = { "HSET", SETTINGS, "captcha.decoys", "dog | cow" } },
}

return {
  plugins = { "captcha" },
  workers = 2,                                -- time-outs run on the worker of the chat (cron per shard)
  users = {
    olga = { first_name = "Olga" }, adam = { first_name = "Adam" }, nina = { first_name = "Nina" },
    zed = { first_name = "Zed <3" }, mia = { first_name = "Mia" }, ann = { first_name = "Ann" },
    helper = { first_name = "Helper", is_bot = true, username = "helper_bot" },
  },
  chats = {
    group = { title = "Guarded", creator = "olga", admins = { adam = { "can_restrict_members" } },
      members = { "mia" } },
    other = { title = "Open", creator = "olga" },
    nina_pm = { type = "private", user = "nina" },
    logs = { type = "channel", title = "Logs", creator = "olga" },
  },
  cases = {
    {
      name = "a newcomer is restricted, presses the button and may write; the challenge goes away",
      steps = on({
        { join = "nina", chat = "group" },
        { expect = "restrictChatMember", params = { chat_id = "$group", user_id = "$nina",
          permissions = { can_send_messages = false } } },
        { expect = "sendMessage", params = { chat_id = "$group", parse_mode = "HTML" },
          text = '<a href="tg://user?id=$nina">Nina</a>, before you can write', as = "challenge", ok = true },
        { expect_member = "nina", chat = "group", status = "restricted", can_send_messages = false },
        { press = "captcha:human", from = "nina", message = "challenge", as = "p" },
        { expect_answer = "p", text = "you can write now" },
        { expect_member = "nina", chat = "group", status = "member" },
        { expect_gone = "challenge" },
        { from = "nina", chat = "group", text = "hello everyone", as = "hello" },
        { expect_visible = "hello" },
        { expect_no = "banChatMember" },
      }),
    },
    {
      name = "a wrong answer removes the newcomer and deletes the join message and the challenge",
      steps = on({
        { join = "zed", chat = "group" },
        { expect = "sendMessage", text = "Zed &lt;3</a>, before you can write: Which animal says meow?",
          as = "challenge", ok = true },
        { press = "captcha:dog", from = "zed", message = "challenge", as = "p" },
        { expect_answer = "p", text = "Wrong answer." },
        { expect = "banChatMember", params = { chat_id = "$group", user_id = "$zed" } },
        { expect = "unbanChatMember", params = { chat_id = "$group", user_id = "$zed" } },
        -- The join message is the group's first message (a join step cannot be labelled).
        { expect = "deleteMessages", params = { chat_id = "$group", message_ids = { 1, "$challenge" } } },
        { expect_gone = "challenge" },
        { expect_member = "zed", chat = "group", status = "left" },
        { expect = "sendMessage", params = { chat_id = "$logs" }, text = "captcha: wrong answer" },
      }, { CAT[1], CAT[2], CAT[3], CAT[4], { redis = { "HSET", SETTINGS, "log.chat", "$logs" } } }),
    },
    {
      name = "someone else's press is refused and changes nothing",
      steps = on({
        { join = "zed", chat = "group" },
        { expect = "sendMessage", text = "before you can write", as = "challenge", ok = true },
        { press = "captcha:human", from = "mia", message = "challenge", as = "p" },
        { expect_answer = "p", text = "This is not for you." },
        { expect_member = "zed", chat = "group", status = "restricted" },
        { expect_visible = "challenge" },
        { expect_no = "banChatMember" },
      }),
    },
    {
      name = "no answer in time: removed, the challenge deleted",
      steps = on({
        { redis = { "HSET", SETTINGS, "captcha.time", "2" } },
        { join = "zed", chat = "group" },
        { expect = "sendMessage", text = "Answer within 2 seconds", as = "challenge", ok = true },
        { wait = 3 },
        { expect = "banChatMember", params = { chat_id = "$group", user_id = "$zed" } },
        { expect = "deleteMessages", params = { chat_id = "$group", message_ids = { 1, "$challenge" } } },
        { expect_gone = "challenge" },
        { expect_member = "zed", chat = "group", status = "left" },
      }),
    },
    {
      name = "math mode asks a sum with buttons; the newcomer stays restricted until answered",
      steps = on({
        { redis = { "HSET", SETTINGS, "captcha.mode", "math" } },
        { join = "zed", chat = "group" },
        { expect = "sendMessage", text = "What is ", ok = true },
        { expect_member = "zed", chat = "group", status = "restricted", can_send_messages = false },
      }),
    },
    {
      name = "/captcha question with wrong answers: the right button lets the newcomer in",
      steps = on({
        { from = "olga", chat = "group", text = "/captcha question Which animal says meow? | cat | dog | cow" },
        { expect = "sendMessage", text = "Question: Which animal says meow? (3 buttons)" },
        { expect_redis = { "HGET", SETTINGS, "captcha.mode" }, equals = "question" },
        { join = "nina", chat = "group" },
        { expect = "sendMessage", text = "Which animal says meow?", as = "q", ok = true, timeout = 8 },
        { press = "captcha:cat", from = "nina", message = "q", as = "p" },
        { expect_answer = "p", text = "you can write now" },
        { expect_member = "nina", chat = "group", status = "member" },
      }),
    },
    {
      name = "/captcha question TEXT | ANSWER: the newcomer types it; other messages are deleted",
      steps = on({
        { from = "olga", chat = "group", text = "/captcha question Capital of France? | Paris" },
        { expect = "sendMessage", text = "(the answer is typed)" },
        { join = "nina", chat = "group" },
        { expect = "restrictChatMember", params = { user_id = "$nina", permissions = { can_send_messages = true,
          can_send_photos = false } } },
        { expect = "sendMessage", text = "Type the answer.", as = "q", ok = true, timeout = 8 },
        { from = "nina", chat = "group", text = "buy crypto", as = "spam" },
        { expect_gone = "spam" },
        { expect_member = "nina", chat = "group", status = "restricted" },
        { from = "nina", chat = "group", text = "  paris ", as = "answer" },
        { expect_gone = "answer" },
        { expect_gone = "q" },
        { expect_member = "nina", chat = "group", status = "member" },
        { expect_no = "banChatMember" },
      }),
    },
    {
      name = "join requests are asked privately: the right answer approves",
      steps = on({
        { join_request = "nina", chat = "group" },
        { expect = "sendMessage", params = { chat_id = "$nina" }, text = "You asked to join Guarded.", as = "q",
          ok = true },
        { press = "captcha:human", from = "nina", message = "q", as = "p" },
        { expect_answer = "p", text = "approved" },
        { expect = "approveChatJoinRequest", params = { chat_id = "$group", user_id = "$nina" } },
        { expect_member = "nina", chat = "group", status = "member" },
        { expect = "editMessageText", params = { chat_id = "$nina" }, text = "approved" },
        { expect_no = "restrictChatMember" },
      }),
    },
    {
      name = "join requests: a wrong answer declines",
      steps = on({
        { join_request = "nina", chat = "group" },
        { expect = "sendMessage", params = { chat_id = "$nina" }, text = "Which animal says meow?", as = "q",
          ok = true },
        { press = "captcha:cow", from = "nina", message = "q", as = "p" },
        { expect_answer = "p", text = "Wrong answer." },
        { expect = "declineChatJoinRequest", params = { chat_id = "$group", user_id = "$nina" } },
        { expect_no = "approveChatJoinRequest" },
      }, CAT),
    },
    {
      name = "join requests: no answer in time declines",
      steps = on({
        { redis = { "HSET", SETTINGS, "captcha.time", "2" } },
        { join_request = "nina", chat = "group" },
        { expect = "sendMessage", params = { chat_id = "$nina" }, text = "Answer within 2 seconds.", ok = true },
        { wait = 3 },
        { expect = "declineChatJoinRequest", params = { chat_id = "$group", user_id = "$nina" } },
        { expect = "editMessageText", params = { chat_id = "$nina" }, text = "declined" },
        { expect_no = "approveChatJoinRequest" },
      }),
    },
    {
      name = "join requests with a typed answer: answered in the private chat",
      steps = on({
        { join_request = "nina", chat = "group" },
        { expect = "sendMessage", params = { chat_id = "$nina" }, text = "Type the answer.", ok = true },
        { from = "nina", chat = "nina_pm", text = "London" },
        { expect = "sendMessage", params = { chat_id = "$nina" }, text = "That is not the answer. Try again." },
        { from = "nina", chat = "nina_pm", text = "paris" },
        { expect = "approveChatJoinRequest", params = { chat_id = "$group", user_id = "$nina" }, timeout = 8 },
        { expect_no = "declineChatJoinRequest" },
      }, {
        { redis = { "HSET", SETTINGS, "captcha.mode", "question" } },
        { redis = { "HSET", SETTINGS, "captcha.question", "Capital of France?" } },
        { redis = { "HSET", SETTINGS, "captcha.answer", "Paris" } },
      }),
    },
    {
      name = "a newcomer who leaves before answering takes the challenge along",
      steps = on({
        { join = "zed", chat = "group" },
        { expect = "sendMessage", text = "before you can write", as = "challenge", ok = true },
        { leave = "zed", chat = "group" },
        { expect_gone = "challenge" },
        { expect_no = "banChatMember" },
      }),
    },
    {
      name = "someone muted before who rejoins is not asked (answering would unmute them)",
      steps = on({
        { set_member = "zed", chat = "group", status = "restricted", permissions = { can_send_messages = false } },
        { leave = "zed", chat = "group" },
        { join = "zed", chat = "group" },
        { expect = "getChatMember", params = { user_id = "$zed" } },
        { expect_no = "sendMessage" },
        { expect_no = "restrictChatMember" },
        { expect_member = "zed", chat = "group", status = "restricted", can_send_messages = false },
      }),
    },
    {
      name = "whoever left mid-challenge is asked again on return",
      steps = on({
        { join = "zed", chat = "group" },
        { expect = "sendMessage", text = "before you can write", ok = true },
        { leave = "zed", chat = "group" },
        { join = "zed", chat = "group" },
        { expect = "sendMessage", text = "before you can write", as = "again", ok = true, timeout = 8 },
        { press = "captcha:human", from = "zed", message = "again", as = "p" },
        { expect_answer = "p", text = "you can write now" },
        { expect_member = "zed", chat = "group", status = "member" },
      }),
    },
    {
      name = "during an anti-raid lockdown newcomers get no challenge (anti-raid mutes them)",
      steps = on({
        { redis = { "SET", "warden:{chat:$group}:raid:lockdown", "9999999999", "EX", "60" } },
        { join = "zed", chat = "group" },
        { expect_no = "sendMessage" },
        { expect_no = "restrictChatMember" },
      }),
    },
    {
      name = "approved users and bots added by admins skip it; people added by admins do not",
      steps = on({
        { redis = { "SADD", "warden:{chat:$group}:approved", "$ann" } },
        { join = "ann", chat = "group" },
        { join = "helper", chat = "group", added_by = "adam" },
        { expect_no = "restrictChatMember" },
        { join = "zed", chat = "group", added_by = "adam" },
        { expect = "restrictChatMember", params = { user_id = "$zed" } },
        { expect = "restrictChatMember", count = 1 },
      }),
    },
    {
      name = "off by default, per chat; members cannot configure it",
      steps = {
        { from = "olga", chat = "other", text = "/captcha on" },
        { expect = "sendMessage", text = "Captcha: on" },
        { join = "nina", chat = "group" },
        { from = "mia", chat = "group", text = "/captcha on" },
        { from = "mia", chat = "group", text = "/captcha time 300" },
        { expect_no = "restrictChatMember" },
        { expect = "sendMessage", count = 1 },
        { expect_redis = { "HGET", SETTINGS, "captcha.on" }, is_nil = true },
      },
    },
    {
      name = "/captcha shows and changes the settings; bad values are refused",
      steps = {
        { from = "olga", chat = "group", text = "/captcha" },
        { expect = "sendMessage", text = "Captcha: off; mode button; 120 s to answer." },
        { from = "olga", chat = "group", text = "/captcha time 5" },
        { expect = "sendMessage", text = "give a number from 15 to 3600" },
        { from = "olga", chat = "group", text = "/captcha mode riddle" },
        { expect = "sendMessage", text = "choose one of: button, math, question", timeout = 8 },
        { from = "adam", chat = "group", text = "/captcha time 60" },
        { expect = "sendMessage", text = "60 s to answer", timeout = 8 },
        { from = "adam", chat = "group", text = "/captcha mode math" },
        { expect = "sendMessage", text = "mode math", timeout = 8 },
        { from = "olga", chat = "group", text = "/captcha question Only a question" },
        { expect = "sendMessage", text = "/captcha question TEXT | ANSWER", timeout = 8 },
        { from = "olga", chat = "group", text = "/captcha off" },
        { expect = "sendMessage", text = "Captcha: off", timeout = 8 },
        { expect_redis = { "HGET", SETTINGS, "captcha.time" }, equals = "60" },
      },
    },
  },
}
