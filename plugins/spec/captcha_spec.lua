-- plugins/captcha.lua: newcomers restricted until they answer; wrong answers and time-outs removed.
local function on(extra)
  local steps = { { from = "olga", chat = "group", text = "/captcha on" }, { expect = "sendMessage", text = "Saved." } }
  for _, step in ipairs(extra) do steps[#steps + 1] = step end
  return steps
end

return {
  plugins = { "captcha" },
  users = {
    olga = { first_name = "Olga" }, adam = { first_name = "Adam" }, nina = { first_name = "Nina" },
    zed = { first_name = "Zed" }, mia = { first_name = "Mia" },
  },
  chats = {
    group = { title = "Guarded", creator = "olga", admins = { adam = { "can_restrict_members" } },
      members = { "mia" } },
    other = { title = "Open", creator = "olga" },
    nina_pm = { type = "private", user = "nina" },
  },
  cases = {
    {
      name = "a newcomer is restricted, presses the right button and may write; the challenge goes away",
      steps = on({
        { join = "nina", chat = "group" },
        { expect = "restrictChatMember", params = { user_id = "$nina", permissions = { can_send_messages = false } } },
        { expect = "sendMessage", params = { parse_mode = "HTML" }, text = "Are you human?", as = "challenge" },
        { expect_member = "nina", chat = "group", status = "restricted" },
        { press = "captcha:$group:$nina:human", from = "nina", message = "challenge", as = "p" },
        { expect_answer = "p", text = "you can write now" },
        { expect_member = "nina", chat = "group", status = "member" },
        { expect_gone = "challenge" },
        { from = "nina", chat = "group", text = "hello everyone" },
      }),
    },
    {
      name = "a wrong button removes the newcomer and deletes the join message and the challenge",
      steps = on({
        { join = "zed", chat = "group" },
        { expect = "sendMessage", text = "Are you human?", as = "challenge" },
        { press = "captcha:$group:$zed:robot", from = "zed", message = "challenge", as = "p" },
        { expect_answer = "p", text = "Wrong answer." },
        { expect = "banChatMember", params = { user_id = "$zed" } },
        { expect = "deleteMessages" },
        { expect_gone = "challenge" },
        { expect_member = "zed", chat = "group", status = "left" },
      }),
    },
    {
      name = "someone else's press is refused",
      steps = on({
        { join = "zed", chat = "group" },
        { expect = "sendMessage", text = "Are you human?", as = "challenge" },
        { press = "captcha:$group:$zed:human", from = "mia", message = "challenge", as = "p" },
        { expect_answer = "p", text = "This question is not for you." },
        { expect_member = "zed", chat = "group", status = "restricted" },
      }),
    },
    {
      name = "no answer in time: removed",
      steps = on({
        { redis = { "HSET", "warden:{chat:$group}:settings", "captcha.time", "2" } },
        { join = "zed", chat = "group" },
        { expect = "sendMessage", text = "Answer within 2 seconds", as = "challenge" },
        { wait = 3.5 },
        { expect = "banChatMember", params = { user_id = "$zed" } },
        { expect_gone = "challenge" },
      }),
    },
    {
      name = "math and custom questions",
      steps = on({
        { from = "olga", chat = "group", text = "/captcha mode math" },
        { join = "zed", chat = "group" },
        { expect = "sendMessage", text = "What is " },
        { from = "olga", chat = "group", text = "/captcha question Which animal says meow? | cat | dog | cow" },
        { expect = "sendMessage", text = "mode question" },
        { join = "nina", chat = "group" },
        { expect = "sendMessage", text = "Which animal says meow?", as = "q" },
        { press = "captcha:$group:$nina:1", from = "nina", message = "q", as = "p" },
        { expect_answer = "p", text = "you can write now" },
      }),
    },
    {
      name = "join requests are asked privately and approved or declined",
      steps = on({
        { join_request = "nina", chat = "group" },
        { expect = "sendMessage", params = { chat_id = "$nina" }, text = "You asked to join Guarded.", as = "q" },
        { press = "captcha:$group:$nina:human", from = "nina", message = "q", as = "p" },
        { expect = "approveChatJoinRequest", params = { chat_id = "$group", user_id = "$nina" } },
        { expect_member = "nina", chat = "group", status = "member" },
      }),
    },
    {
      name = "during an anti-raid lockdown newcomers get no challenge (anti-raid mutes them)",
      steps = on({
        { redis = { "SET", "warden:{chat:$group}:raid:lockdown", "9999999999", "EX", "60" } },
        { join = "zed", chat = "group" },
        { expect_no = "sendMessage", text = "Are you human?" },
      }),
    },
    {
      name = "off by default, per chat; admins added are not asked; members cannot configure",
      steps = {
        { join = "nina", chat = "other" },
        { from = "mia", chat = "group", text = "/captcha on" },
        { expect_no = "sendMessage" },
        { from = "olga", chat = "group", text = "/captcha time 5" },
        { expect = "sendMessage", text = "give a number from 15 to 3600" },
        { expect_no = "restrictChatMember" },
      },
    },
  },
}
