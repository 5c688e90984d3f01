-- Role matrix (docs/commands.md) for gban, sudo, plugins, help and id: every command refused in silence
-- by every role below the one commands.md names, and working for the lowest allowed role without touching
-- chat B (global keys only where the command is about them). The generator is plugins/spec/lib/role_matrix.lua.
local m = require("role_matrix")
local A = m.A
local gban_record = '{"reason":"spam","by":1,"date":1}'

local commands = {
  -- gban
  { "/gban $sam spam", "sudo", global = { "warden:gbans" }, effect = {
    { expect_redis = { "HEXISTS", "warden:gbans", "$sam" }, equals = 1 },
    { expect = "banChatMember", params = { chat_id = "$group", user_id = "$sam" } },
    -- Chat B follows global bans: Telegram bans Sam there too, while B's own keys stay as they were.
    { expect = "banChatMember", params = { chat_id = "$other", user_id = "$sam" } },
  } },
  { "/ungban $sam", "sudo", global = { "warden:gbans" },
    setup = { { redis = { "HSET", "warden:gbans", "$sam", gban_record } } }, effect = {
      { expect_redis = { "HEXISTS", "warden:gbans", "$sam" }, equals = 0 },
      { expect = "unbanChatMember", params = { chat_id = "$group", user_id = "$sam" } },
    } },
  { "/gbanlist", "sudo", setup = { { redis = { "HSET", "warden:gbans", "$sam", gban_record } } }, effect = {
    m.reply("Globally banned:\n• $sam: spam"),
  } },
  { "/gbanoptout on", "owner", effect = { m.setting("gban.opt_out", "1") } },
  -- sudo
  { "/stats", "sudo", effect = { m.reply("Groups: 3") } },
  { "/broadcast Maintenance at noon", "sudo", effect = {
    { expect = "sendMessage", params = { chat_id = "$other" }, text = "Maintenance at noon" },
    { expect = "sendMessage", params = { chat_id = "$spare" }, text = "Maintenance at noon" },
  } },
  { "/leave $spare", "sudo", effect = {
    { expect = "leaveChat", params = { chat_id = "$spare" } },
    { expect_member = "bot", chat = "spare", status = "left" },
  } },
  { "/sudo", "sudo", effect = { m.reply("Sudo users:\n• $root (config)") } },
  { "/sudo add $sam", "sudo", global = { "warden:sudo" }, effect = {
    { expect_redis = { "SISMEMBER", "warden:sudo", "$sam" }, equals = 1 },
  } },
  { "/sudo remove $sam", "sudo", global = { "warden:sudo" },
    setup = { { redis = { "SADD", "warden:sudo", "$sam" } } }, effect = {
      { expect_redis = { "SISMEMBER", "warden:sudo", "$sam" }, equals = 0 },
    } },
  -- plugins
  { "/plugins", "admin", effect = { m.reply("Plugins here:") } },
  { "/plugins disable welcome here", "admin", effect = {
    { expect_redis = { "SISMEMBER", A .. "disabled_plugins", "welcome" }, equals = 1 },
  } },
  { "/plugins enable welcome here", "admin", setup = { { redis = { "SADD", A .. "disabled_plugins", "welcome" } } },
    effect = { { expect_redis = { "SISMEMBER", A .. "disabled_plugins", "welcome" }, equals = 0 } } },
  { "/plugins disable welcome", "sudo", global = { "warden:disabled_plugins" }, effect = {
    { expect_redis = { "SISMEMBER", "warden:disabled_plugins", "welcome" }, equals = 1 },
  } },
  { "/plugins enable welcome", "sudo", global = { "warden:disabled_plugins" },
    setup = { { redis = { "SADD", "warden:disabled_plugins", "welcome" } } }, effect = {
      { expect_redis = { "SISMEMBER", "warden:disabled_plugins", "welcome" }, equals = 0 },
    } },
  { "/reload", "sudo", effect = { m.reply("Reloading the plugins from disk.") } },
  -- help and id
  { "/help", "member", effect = { m.reply("Plugins (/help NAME for usage):") } },
  { "/help bans", "member", effect = { m.reply("bans:\n/ban") } },
  { "/id", "member", effect = { m.reply("Chat: Group A — id $group") } },
}

return m.spec(m.cases(commands))
