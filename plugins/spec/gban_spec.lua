-- plugins/gban.lua: global bans by sudo users, enforced on join and on message; groups may opt out.
return {
  plugins = { "gban" },
  sudo = { "root" },
  users = {
    root = { first_name = "Root" },
    olga = { first_name = "Olga", username = "olga" },
    sam = { first_name = "Sam", username = "sam" },
    zed = { first_name = "Zed" },
  },
  chats = {
    one = { title = "One", creator = "olga", members = { "sam", "root" } },
    two = { title = "Two", creator = "olga", members = { "sam", "root" } },
    free = { title = "Free", creator = "olga", members = { "sam" } },
  },
  cases = {
    {
      name = "a sudo /gban bans in every managed group that has not opted out",
      steps = {
        { from = "olga", chat = "free", text = "/gbanoptout on" },
        { expect = "sendMessage", text = "ignores global bans" },
        { from = "olga", chat = "two", text = "hello" },
        { from = "root", chat = "one", text = "/gban $sam crypto scams" },
        { expect = "sendMessage", text = "banned from 2 groups: crypto scams" },
        { expect_member = "sam", chat = "one", status = "kicked" },
        { expect_member = "sam", chat = "two", status = "kicked" },
        { expect_member = "sam", chat = "free", status = "member" },
        { from = "root", chat = "one", text = "/gbanlist" },
        { expect = "sendMessage", text = "$sam: crypto scams" },
      },
    },
    {
      name = "a globally banned user is removed on join and on message",
      steps = {
        { redis = { "HSET", "warden:gbans", "$zed", "{\"reason\":\"spam\"}" } },
        { join = "zed", chat = "one" },
        { expect = "banChatMember", params = { chat_id = "$one", user_id = "$zed" } },
        { redis = { "HSET", "warden:gbans", "$sam", "{\"reason\":\"spam\"}" } },
        { from = "sam", chat = "two", text = "buy my stuff", as = "spam" },
        { expect_gone = "spam" },
        { expect_member = "sam", chat = "two", status = "kicked" },
      },
    },
    {
      name = "a non-sudo /gban changes nothing; /ungban lifts the ban",
      steps = {
        { from = "olga", chat = "one", text = "/gban $sam" },
        { expect_no = "banChatMember" },
        { expect_redis = { "HLEN", "warden:gbans" }, equals = 0 },
        { from = "root", chat = "one", text = "/gban $sam" },
        { expect_member = "sam", chat = "one", status = "kicked" },
        { from = "root", chat = "one", text = "/ungban $sam" },
        { expect = "sendMessage", text = "no longer globally banned" },
        { expect = "unbanChatMember", params = { chat_id = "$one", user_id = "$sam" } },
        { expect_redis = { "HLEN", "warden:gbans" }, equals = 0 },
      },
    },
  },
}
