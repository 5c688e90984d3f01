-- plugins/bans.lua: bans, kicks and mutes by reply, id and @username, with their refusals.
local rights = { "can_delete_messages", "can_restrict_members" }

return {
  plugins = { "bans" },
  users = {
    olga = { first_name = "Olga", username = "olga" },
    adam = { first_name = "Adam", username = "adam" },
    mia = { first_name = "Mia", username = "mia" },
    sam = { first_name = "Spam", username = "spammer" },
  },
  chats = {
    group = {
      type = "supergroup", title = "Bans", creator = "olga",
      admins = { adam = { "can_restrict_members" } }, members = { "mia", "sam" }, bot_rights = rights,
    },
    other = { type = "supergroup", title = "Other", creator = "olga", members = { "sam" }, bot_rights = rights },
    weak = { type = "supergroup", title = "Weak", creator = "olga", members = { "sam" },
      bot_rights = { "can_delete_messages" } },
    logs = { type = "channel", title = "Mod log", creator = "olga" },
  },
  cases = {
    {
      name = "an admin bans by reply with a reason, and /banlist shows it",
      steps = {
        { from = "sam", chat = "group", text = "buy now", as = "spam" },
        { from = "olga", chat = "group", text = "/ban selling stuff", reply_to = "spam" },
        { expect = "banChatMember", params = { chat_id = "$group", user_id = "$sam" } },
        { expect = "sendMessage", text = "Banned Spam: selling stuff" },
        { expect_member = "sam", chat = "group", status = "kicked" },
        { expect_member = "sam", chat = "other", status = "member" },
        { from = "olga", chat = "group", text = "/banlist" },
        { expect = "sendMessage", text = "selling stuff" },
      },
    },
    {
      name = "a member's /ban and /kick change nothing",
      steps = {
        { from = "sam", chat = "group", text = "hello" },
        { from = "mia", chat = "group", text = "/ban @spammer" },
        { from = "mia", chat = "group", text = "/kick $sam" },
        { expect_no = "banChatMember" },
        { expect_no = "sendMessage" },
        { expect_member = "sam", chat = "group", status = "member" },
      },
    },
    {
      name = "an admin cannot ban an admin",
      steps = {
        { from = "adam", chat = "group", text = "/ban $olga" },
        { expect = "sendMessage", text = "I will not do that to an admin." },
        { expect_no = "banChatMember" },
      },
    },
    {
      name = "/tban by @username sets until_date; a bad duration is explained",
      steps = {
        { from = "sam", chat = "group", text = "hi all" },
        { from = "olga", chat = "group", text = "/tban @spammer 2h flooding" },
        { expect = "banChatMember", params = { user_id = "$sam" } },
        { expect = "sendMessage", text = "Banned Spam for 2h: flooding" },
        { from = "olga", chat = "group", text = "/tban @spammer 10x" },
        { expect = "sendMessage", text = "give a duration like 30m, 2h or 7d" },
      },
    },
    {
      name = "/mute and /unmute by id",
      steps = {
        { from = "olga", chat = "group", text = "/mute $sam" },
        { expect = "restrictChatMember", params = { user_id = "$sam", permissions = { can_send_messages = false } } },
        { expect_member = "sam", chat = "group", status = "restricted", can_send_messages = false },
        { from = "olga", chat = "group", text = "/unmute $sam" },
        { expect_member = "sam", chat = "group", status = "member" },
      },
    },
    {
      name = "/kickme removes the sender, who may come back",
      steps = {
        { from = "mia", chat = "group", text = "/kickme" },
        { expect = "banChatMember", params = { user_id = "$mia" } },
        { expect = "unbanChatMember", params = { user_id = "$mia" } },
        { expect_member = "mia", chat = "group", status = "left" },
        { join = "mia", chat = "group" },
      },
    },
    {
      name = "a bot without can_restrict_members says which right it lacks",
      steps = {
        { from = "olga", chat = "weak", text = "/ban $sam" },
        { expect = "banChatMember", ok = false },
        { expect = "sendMessage", text = "not enough rights to restrict/unrestrict chat member" },
        { expect_member = "sam", chat = "weak", status = "member" },
      },
    },
    {
      name = "/del removes the replied message and the command",
      steps = {
        { from = "sam", chat = "group", text = "rude words", as = "rude" },
        { from = "adam", chat = "group", text = "/del", reply_to = "rude", as = "cmd" },
        { expect_gone = "rude" },
        { expect_gone = "cmd" },
      },
    },
    {
      name = "/purge deletes from the replied message on; a member's /purge does nothing",
      steps = {
        { from = "sam", chat = "group", text = "one", as = "one" },
        { from = "sam", chat = "group", text = "two", as = "two" },
        { from = "mia", chat = "group", text = "/purge", reply_to = "one", as = "tried" },
        { expect_no = "deleteMessages" },
        { expect_visible = "one" },
        { from = "olga", chat = "group", text = "/purge", reply_to = "one" },
        { expect = "deleteMessages" },
        { expect_gone = "one" },
        { expect_gone = "two" },
        { expect_gone = "tried" },
      },
    },
    {
      name = "a banned user who is let back in by hand is removed again",
      steps = {
        { from = "olga", chat = "group", text = "/ban $sam spam" },
        { expect_member = "sam", chat = "group", status = "kicked" },
        { set_member = "sam", chat = "group", status = "left" },
        { join = "sam", chat = "group" },
        { expect = "banChatMember", params = { user_id = "$sam" } },
        { expect = "banChatMember", params = { user_id = "$sam" } },
        { expect_member = "sam", chat = "group", status = "kicked" },
      },
    },
    {
      name = "/info shows the ban reason and warnings; a member sees only their own",
      steps = {
        { from = "olga", chat = "group", text = "/ban $sam selling stuff" },
        { from = "olga", chat = "group", text = "/info $sam" },
        { expect = "sendMessage", text = "Banned on" },
        { expect = "sendMessage", text = "selling stuff" },
        { from = "mia", chat = "group", text = "/info" },
        { expect = "sendMessage", text = "Role here: member" },
        { from = "mia", chat = "group", text = "/info $sam" },
        { expect = "sendMessage", count = 3 },
      },
    },
    {
      name = "every ban goes to the log channel with who, whom and why",
      steps = {
        { redis = { "HSET", "warden:{chat:$group}:settings", "log.chat", "$logs" } },
        { from = "adam", chat = "group", text = "/ban $sam selling stuff" },
        { expect = "sendMessage", params = { chat_id = "$logs" }, text = "#ban in Bans\nBy: Adam" },
        { expect = "sendMessage", params = { chat_id = "$logs" }, count = 1, text = "Reason: selling stuff" },
      },
    },
  },
}
