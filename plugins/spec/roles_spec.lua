-- plugins/roles.lua: moderators by the owner, approved users by admins.
return {
  plugins = { "roles", "bans" },
  users = {
    olga = { first_name = "Olga", username = "olga" },
    adam = { first_name = "Adam", username = "adam" },
    mia = { first_name = "Mia", username = "mia" },
    sam = { first_name = "Sam", username = "sam" },
  },
  chats = {
    group = { title = "Roles", creator = "olga", admins = { adam = { "can_restrict_members" } },
      members = { "mia", "sam" } },
    other = { title = "Other", creator = "olga", members = { "mia" } },
  },
  cases = {
    {
      name = "the owner promotes a moderator, who shows in /modlist, and demotes them",
      steps = {
        { from = "mia", chat = "group", text = "hello", as = "hi" },
        { from = "olga", chat = "group", text = "/promote", reply_to = "hi" },
        { expect = "sendMessage", text = "Mia is now a moderator here." },
        { expect_redis = { "SISMEMBER", "warden:{chat:$group}:mods", "$mia" }, equals = 1 },
        { expect_redis = { "SISMEMBER", "warden:{chat:$other}:mods", "$mia" }, equals = 0 },
        { from = "adam", chat = "group", text = "hello" },
        { from = "sam", chat = "group", text = "/modlist" },
        -- Both admins' names, found in one round trip (user_names), sorted.
        { expect = "sendMessage", text = "• Adam ($adam)\n• Olga ($olga) ★" },
        { from = "olga", chat = "group", text = "/demote @mia" },
        { expect = "sendMessage", text = "Mia is no longer a moderator here." },
        { expect_redis = { "SISMEMBER", "warden:{chat:$group}:mods", "$mia" }, equals = 0 },
      },
    },
    {
      name = "an admin who is not the owner cannot promote; a member cannot approve",
      steps = {
        { from = "adam", chat = "group", text = "/promote $mia" },
        { from = "mia", chat = "group", text = "/approve $sam" },
        { expect_no = "sendMessage" },
        { expect_redis = { "SCARD", "warden:{chat:$group}:mods" }, equals = 0 },
        { expect_redis = { "SCARD", "warden:{chat:$group}:approved" }, equals = 0 },
      },
    },
    {
      name = "an admin approves and unapproves; /approved lists them",
      steps = {
        { from = "adam", chat = "group", text = "/approve $sam" },
        { expect = "sendMessage", text = "is approved" },
        { expect_redis = { "SISMEMBER", "warden:{chat:$group}:approved", "$sam" }, equals = 1 },
        { from = "adam", chat = "group", text = "/approved" },
        { expect = "sendMessage", text = "($sam)" },
        { from = "adam", chat = "group", text = "/unapprove $sam" },
        { expect = "sendMessage", text = "is no longer approved" },
        { from = "adam", chat = "group", text = "/unapprove $sam" },
        { expect = "sendMessage", text = "did not have that role" },
      },
    },
    {
      name = "admins are not promoted; a moderator still cannot ban (bans need admins)",
      steps = {
        { from = "olga", chat = "group", text = "/promote $adam" },
        { expect = "sendMessage", text = "is an admin already" },
        { from = "olga", chat = "group", text = "/promote $mia" },
        { expect = "sendMessage", text = "moderator here" },
        { from = "mia", chat = "group", text = "/ban $sam" },
        { expect_no = "banChatMember" },
      },
    },
  },
}
