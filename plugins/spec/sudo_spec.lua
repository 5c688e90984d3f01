-- plugins/sudo.lua and plugins/plugins.lua: the sudo console and plugin management.
return {
  plugins = { "sudo", "plugins", "id" },
  sudo = { "root" },
  users = {
    root = { first_name = "Root" },
    olga = { first_name = "Olga" },
    mia = { first_name = "Mia" },
  },
  chats = {
    one = { title = "One", creator = "olga", members = { "root", "mia" } },
    two = { title = "Two", creator = "olga", members = { "mia" } },
    root_pm = { type = "private", user = "root" },
  },
  cases = {
    {
      name = "/stats counts groups and users; /broadcast reaches every group",
      steps = {
        { from = "mia", chat = "two", text = "hi" },
        { from = "root", chat = "one", text = "/stats" },
        { expect = "sendMessage", text = "Groups: 2" },
        { from = "root", chat = "root_pm", text = "/broadcast Maintenance at 20:00" },
        { expect = "sendMessage", params = { chat_id = "$one", text = "Maintenance at 20:00" } },
        { expect = "sendMessage", params = { chat_id = "$two", text = "Maintenance at 20:00" } },
        { expect = "sendMessage", text = "Sending to 2 groups." },
      },
    },
    {
      name = "the console ignores everyone but sudo users",
      steps = {
        { from = "olga", chat = "one", text = "/stats" },
        { from = "olga", chat = "one", text = "/broadcast hi" },
        { from = "olga", chat = "one", text = "/sudo add $mia" },
        { expect_no = "sendMessage" },
        { expect_redis = { "SCARD", "warden:sudo" }, equals = 0 },
      },
    },
    {
      name = "/sudo add gives every right at once, /sudo remove takes it back; config sudo stays",
      steps = {
        { from = "root", chat = "root_pm", text = "/sudo add $mia" },
        { expect = "sendMessage", text = "is now a sudo user" },
        { from = "mia", chat = "one", text = "/stats" },
        { expect = "sendMessage", params = { chat_id = "$one" }, text = "Groups:" },
        { from = "mia", chat = "one", text = "/sudo remove $root" },
        { expect = "sendMessage", text = "in the config file" },
        { from = "root", chat = "root_pm", text = "/sudo remove $mia" },
        { expect = "sendMessage", text = "no longer a sudo user" },
        { expect_redis = { "SISMEMBER", "warden:sudo", "$mia" }, equals = 0 },
      },
    },
    {
      name = "/leave makes the bot leave and forget the group",
      steps = {
        { from = "mia", chat = "two", text = "hi" },
        { expect_redis = { "SISMEMBER", "warden:chats", "$two" }, equals = 1 },
        { from = "root", chat = "root_pm", text = "/leave $two" },
        { expect = "leaveChat", params = { chat_id = "$two" } },
        { expect = "sendMessage", text = "Left" },
        { expect_redis = { "SISMEMBER", "warden:chats", "$two" }, equals = 0 },
      },
    },
    {
      name = "plugins: an admin disables one here only; sudo disables one everywhere",
      steps = {
        { from = "olga", chat = "one", text = "/plugins disable id here" },
        { expect = "sendMessage", text = "id is disabled in this chat." },
        { from = "mia", chat = "one", text = "/id" },
        { from = "mia", chat = "two", text = "/id" },
        { expect = "sendMessage", params = { chat_id = "$two" }, text = "You: Mia" },
        { expect_no = "sendMessage", params = { chat_id = "$one" }, text = "You: Mia" },
        { from = "olga", chat = "two", text = "/plugins disable id" },
        { from = "root", chat = "one", text = "/plugins disable id" },
        { expect = "sendMessage", count = 1, text = "disabled in every chat" },
        { from = "mia", chat = "two", text = "/id" },
        { expect = "sendMessage", count = 1, text = "You: Mia" },
        { from = "root", chat = "one", text = "/plugins" },
        { expect = "sendMessage", text = "⛔ id" },
      },
    },
    {
      name = "/reload reloads the plugin files; members cannot",
      steps = {
        { from = "mia", chat = "one", text = "/reload" },
        { expect_no = "sendMessage" },
        { from = "root", chat = "one", text = "/reload" },
        { expect = "sendMessage", text = "Reloading the plugins" },
        { from = "mia", chat = "one", text = "/id" },
        { expect = "sendMessage", text = "You: Mia" },
      },
    },
  },
}
