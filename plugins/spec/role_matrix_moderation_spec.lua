-- Role matrix (docs/commands.md) for bans, warns, roles, reports and blocklist: every command refused in
-- silence by every role below the one commands.md names, and working for the lowest allowed role
-- without touching chat B. The generator is plugins/spec/lib/role_matrix.lua.
local m = require("role_matrix")
local A = m.A
local sam_record = '{"name":"Sam","reason":"spam","by":1,"date":1,"until_date":0}'

local commands = {
  -- bans
  { "/ban $sam spam", "admin", effect = {
    { expect = "banChatMember", params = { chat_id = "$group", user_id = "$sam" } },
    { expect_redis = { "HEXISTS", A .. "bans", "$sam" }, equals = 1 },
    { expect_no = "banChatMember", params = { chat_id = "$other" } },
  } },
  { "/tban $sam 2h spam", "admin", effect = {
    { expect = "banChatMember", params = { chat_id = "$group", user_id = "$sam" } },
    m.reply("Banned Sam for 2h: spam"),
  } },
  { "/unban $sam", "admin", setup = { { redis = { "HSET", A .. "bans", "$sam", sam_record } } }, effect = {
    { expect = "unbanChatMember", params = { chat_id = "$group", user_id = "$sam" } },
    { expect_redis = { "HEXISTS", A .. "bans", "$sam" }, equals = 0 },
  } },
  { "/kick $sam", "admin", effect = {
    { expect = "banChatMember", params = { chat_id = "$group", user_id = "$sam" } },
    { expect = "unbanChatMember", params = { chat_id = "$group", user_id = "$sam" } },
  } },
  { "/mute $sam", "admin", effect = {
    { expect = "restrictChatMember", params = { chat_id = "$group", user_id = "$sam",
      permissions = { can_send_messages = false } } },
    { expect_redis = { "HEXISTS", A .. "mutes", "$sam" }, equals = 1 },
  } },
  { "/tmute $sam 1h", "admin", effect = {
    { expect = "restrictChatMember", params = { chat_id = "$group", user_id = "$sam" } },
    m.reply("Muted Sam for 1h"),
  } },
  { "/unmute $sam", "admin", setup = { { redis = { "HSET", A .. "mutes", "$sam", sam_record } } }, effect = {
    { expect = "restrictChatMember", params = { chat_id = "$group", user_id = "$sam",
      permissions = { can_send_messages = true } } },
    { expect_redis = { "HEXISTS", A .. "mutes", "$sam" }, equals = 0 },
  } },
  { "/banlist", "admin", setup = { { redis = { "HSET", A .. "bans", "$sam", sam_record } } }, effect = {
    m.reply("Banned here:\n• Sam ($sam): spam"),
  } },
  { "/del", "admin", reply = true, effect = { { expect_gone = "target" } } },
  { "/purge", "admin", reply = true, effect = { { expect = "deleteMessages" }, { expect_gone = "target" } } },
  { "/info $sam", "mod", effect = { m.reply("Role here: member") } },
  { "/info", "member", effect = { m.reply("Role here: member") } },
  { "/kickme", "member", effect = {
    { expect = "banChatMember", params = { chat_id = "$group", user_id = "$mel" } },
    m.reply("Bye, Mel."),
  }, as_channel = {
    -- Posting as a channel there is no user to remove: the fake sender (Channel_Bot) is not a target.
    m.reply("Post as yourself"),
    { expect_no = "banChatMember" },
  } },
  -- warns
  { "/warn $sam spam", "mod", effect = {
    { expect_redis = { "HGET", A .. "warns", "$sam" }, equals = "1" },
    m.reply("Sam has 1/3 warnings: spam"),
  } },
  { "/unwarn $sam", "mod", setup = {
    { redis = { "HSET", A .. "warns", "$sam", "2" } }, { redis = { "RPUSH", A .. "warn_reasons:$sam", "a", "b" } },
  }, effect = { { expect_redis = { "HGET", A .. "warns", "$sam" }, equals = "1" } } },
  { "/resetwarns $sam", "mod", setup = {
    { redis = { "HSET", A .. "warns", "$sam", "2" } }, { redis = { "RPUSH", A .. "warn_reasons:$sam", "a", "b" } },
  }, effect = {
    { expect_redis = { "HEXISTS", A .. "warns", "$sam" }, equals = 0 },
    { expect_redis = { "EXISTS", A .. "warn_reasons:$sam" }, equals = 0 },
  } },
  { "/warns", "member", effect = { m.reply("has no warnings") } },
  { "/warns $sam", "mod", setup = {
    { redis = { "HSET", A .. "warns", "$sam", "2" } }, { redis = { "RPUSH", A .. "warn_reasons:$sam", "a", "b" } },
  }, effect = { m.reply("Sam has 2/3 warnings:\n1. a\n2. b") } },
  { "/setwarn 5", "admin", effect = { m.setting("warn.limit", "5") } },
  { "/warnaction kick", "admin", effect = { m.setting("warn.action", "kick") } },
  -- roles
  { "/promote $sam", "owner", effect = {
    { expect_redis = { "SISMEMBER", A .. "mods", "$sam" }, equals = 1 },
  } },
  { "/demote $mia", "owner", effect = {
    { expect_redis = { "SISMEMBER", A .. "mods", "$mia" }, equals = 0 },
  } },
  { "/modlist", "member", effect = { m.reply("Admins (★ owner):") } },
  { "/approve $sam", "admin", effect = {
    { expect_redis = { "SISMEMBER", A .. "approved", "$sam" }, equals = 1 },
  } },
  { "/unapprove $apu", "admin", effect = {
    { expect_redis = { "SISMEMBER", A .. "approved", "$apu" }, equals = 0 },
  } },
  { "/approved", "mod", setup = { { redis = { "HSET", A .. "approved_names", "$apu", "Apu" } } }, effect = {
    m.reply("Approved users:\n• Apu ($apu)"),
  } },
  -- reports
  { "/report spam", "member", reply = true, effect = {
    m.reply("Reported Sam to the admins."),
    { expect_redis = { "EXISTS", A .. "reported:$target" }, equals = 1 },
  } },
  { "@admin look", "member", reply = true, effect = {
    m.reply("Reported Sam to the admins."),
    { expect_redis = { "EXISTS", A .. "reported:$target" }, equals = 1 },
  } },
  { "/reports off", "admin", effect = { m.setting("reports.on", "0") } },
  -- blocklist
  { "/filter spam words", "admin", effect = {
    { expect_redis = { "HGET", A .. "blocklist", "spam words" }, equals = "delete" },
  } },
  { "/filter re:b[uo]y now ban", "admin", effect = {
    { expect_redis = { "HGET", A .. "blocklist", "re:b[uo]y now" }, equals = "ban" },
  } },
  { "/unfilter spam", "admin", setup = { { redis = { "HSET", A .. "blocklist", "spam", "delete" } } }, effect = {
    { expect_redis = { "HEXISTS", A .. "blocklist", "spam" }, equals = 0 },
  } },
  { "/filters", "admin", setup = { { redis = { "HSET", A .. "blocklist", "spam", "warn" } } }, effect = {
    m.reply("Blocked here:\n• spam → warn"),
  } },
}

return m.spec(m.cases(commands))
