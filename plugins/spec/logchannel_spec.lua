-- plugins/logchannel.lua: where a chat's moderation log goes.
return {
  plugins = { "logchannel", "bans" },
  users = {
    olga = { first_name = "Olga" },
    mia = { first_name = "Mia" },
    sam = { first_name = "Sam" },
  },
  chats = {
    group = { title = "Group", creator = "olga", members = { "mia", "sam" } },
    logs = { type = "channel", title = "Mod log", creator = "olga" },
    closed = { type = "channel", title = "Closed", creator = "olga", bot_status = "member", bot_rights = {} },
  },
  cases = {
    {
      name = "/setlog by id checks the bot can post, then every action is logged there",
      steps = {
        { from = "olga", chat = "group", text = "/setlog $logs" },
        { expect = "sendMessage", params = { chat_id = "$logs" }, text = "now receives the moderation log of Group" },
        { expect = "sendMessage", params = { chat_id = "$group" }, text = "will be posted to" },
        { from = "olga", chat = "group", text = "/kick $sam flooding" },
        { expect = "sendMessage", params = { chat_id = "$logs" }, text = "#kick in Group\nBy: Olga" },
        { from = "olga", chat = "group", text = "/unsetlog" },
        { expect = "sendMessage", text = "no longer logged" },
        { expect_redis = { "HGET", "warden:{chat:$group}:settings", "log.chat" }, is_nil = true },
      },
    },
    {
      name = "/setlog in reply to a forwarded channel post",
      steps = {
        { from = "olga", chat = "group", text = "a post", forward_from_chat = "logs", as = "fwd" },
        { from = "olga", chat = "group", text = "/setlog", reply_to = "fwd" },
        { expect = "sendMessage", params = { chat_id = "$logs" } },
        { expect_redis = { "HGET", "warden:{chat:$group}:settings", "log.chat" }, equals = "$logs" },
      },
    },
    {
      name = "a channel where the bot cannot post is refused with Telegram's reason; members cannot set it",
      steps = {
        { from = "mia", chat = "group", text = "/setlog $logs" },
        { expect_no = "sendMessage", params = { chat_id = "$logs" } },
        { from = "olga", chat = "group", text = "/setlog $closed" },
        { expect = "sendMessage", params = { chat_id = "$group" }, text = "I cannot post in" },
        { expect_redis = { "HGET", "warden:{chat:$group}:settings", "log.chat" }, is_nil = true },
      },
    },
  },
}
