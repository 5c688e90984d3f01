-- plugins/reports.lua: reports reach the admins privately with a link, once per message.
return {
  plugins = { "reports" },
  users = {
    olga = { first_name = "Olga" }, adam = { first_name = "Adam" }, sam = { first_name = "Sam" },
    mia = { first_name = "Mia" },
  },
  chats = {
    group = { title = "Reported", creator = "olga", admins = { adam = { "can_delete_messages" } },
      members = { "sam", "mia" } },
    olga_pm = { type = "private", user = "olga" },
    mia_pm = { type = "private", user = "mia" },
    logs = { type = "channel", title = "Log", creator = "olga" },
  },
  cases = {
    {
      name = "/report in reply tells every admin who can be messaged, with a link, and the log channel",
      steps = {
        { redis = { "HSET", "warden:{chat:$group}:settings", "log.chat", "$logs" } },
        { from = "sam", chat = "group", text = "buy followers cheap", as = "spam" },
        { from = "mia", chat = "group", text = "/report selling followers", reply_to = "spam" },
        { expect = "sendMessage", params = { chat_id = "$group" }, text = "Reported Sam to the admins." },
        { expect = "getChatAdministrators" },
        { expect = "sendMessage", params = { chat_id = "$olga" }, ok = true,
          text = "Mia reported Sam ($sam).\nReason: selling followers" },
        { expect = "sendMessage", params = { chat_id = "$olga" }, count = 1, text = "https://t.me/c/" },
        { expect = "sendMessage", params = { chat_id = "$adam" }, ok = false },
        { expect = "sendMessage", params = { chat_id = "$logs" }, text = "#report in Reported" },
      },
    },
    {
      name = "@admin in reply reports too; a second report of the same message is refused",
      steps = {
        { from = "sam", chat = "group", text = "spam spam", as = "spam" },
        { from = "mia", chat = "group", text = "@admin look at this", reply_to = "spam" },
        { expect = "sendMessage", params = { chat_id = "$olga" }, text = "Reason: look at this" },
        { from = "mia", chat = "group", text = "/report", reply_to = "spam" },
        { expect = "sendMessage", text = "That message was reported already." },
      },
    },
    {
      name = "refusals: no reply, reporting an admin (anonymous too), yourself; @admin in passing is nothing",
      steps = {
        { from = "mia", chat = "group", text = "/report" },
        { expect = "sendMessage", text = "Reply to the message you want to report." },
        { from = "olga", chat = "group", text = "I am the owner", as = "owner_msg" },
        { from = "mia", chat = "group", text = "/report", reply_to = "owner_msg" },
        { expect = "sendMessage", text = "Admins cannot be reported." },
        { sender_chat = "group", chat = "group", text = "posted by an anonymous admin", as = "anon_msg" },
        { from = "mia", chat = "group", text = "/report", reply_to = "anon_msg" },
        { expect = "sendMessage", text = "Admins cannot be reported." },
        { from = "mia", chat = "group", text = "mine", as = "own" },
        { from = "mia", chat = "group", text = "/report", reply_to = "own" },
        { expect = "sendMessage", text = "You cannot report yourself." },
        { from = "sam", chat = "group", text = "ask @admin if unsure" },
        { expect = "sendMessage", ok = true, count = 4 },
        { expect_no = "sendMessage", params = { chat_id = "$olga" } },
      },
    },
    {
      name = "/reports off (admins) stops reports; a member cannot switch them",
      steps = {
        { from = "mia", chat = "group", text = "/reports off" },
        { expect_no = "sendMessage" },
        { from = "adam", chat = "group", text = "/reports off" },
        { expect = "sendMessage", text = "Reports are switched off." },
        { from = "sam", chat = "group", text = "spam", as = "spam" },
        { from = "mia", chat = "group", text = "/report", reply_to = "spam" },
        { expect_no = "sendMessage", params = { chat_id = "$olga" } },
      },
    },
  },
}
