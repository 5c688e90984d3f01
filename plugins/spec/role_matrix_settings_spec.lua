-- Role matrix (docs/commands.md) for the commands that change a group's settings: antiraid, captcha, flood,
-- locks, welcome, settings and logchannel. Every command is refused in silence by every role below the one
-- commands.md names, and works for the lowest allowed role without touching chat B.
-- The generator is plugins/spec/lib/role_matrix.lua.
local m = require("role_matrix")
local A = m.A
local setting, set = m.setting, m.set_setting

local commands = {
  -- antiraid
  { "/antiraid", "admin", effect = { m.reply("Anti-raid: on.") } },
  { "/antiraid off", "admin", effect = { setting("antiraid.on", "0") } },
  { "/antiraid 5 20", "admin", effect = { setting("antiraid.joins", "5"), setting("antiraid.window", "20") } },
  { "/antiraid action kick", "admin", effect = { setting("antiraid.action", "kick") } },
  { "/antiraid duration 120", "admin", effect = { setting("antiraid.duration", "120") } },
  { "/antiraid end", "admin", global = { "warden:raid_lockdowns" }, setup = {
    -- A lockdown running in chat A until well after the case.
    { redis = { "SET", A .. "raid:lockdown", tostring(os.time() + 86400), "EX", "86400" } },
    { redis = { "ZADD", "warden:raid_lockdowns", tostring(os.time() + 86400), "$group" } },
  }, effect = {
    m.reply("The lockdown is lifted."),
    { expect_redis = { "EXISTS", A .. "raid:lockdown" }, equals = 0 },
  } },
  -- captcha
  { "/captcha", "admin", effect = { m.reply("Captcha: off; mode button") } },
  { "/captcha on", "admin", effect = { setting("captcha.on", "1") } },
  { "/captcha mode math", "admin", effect = { setting("captcha.mode", "math") } },
  { "/captcha time 60", "admin", effect = { setting("captcha.time", "60") } },
  { "/captcha question What is 2+2? | 4", "admin", effect = {
    setting("captcha.question", "What is 2+2?"), setting("captcha.answer", "4"), setting("captcha.mode", "question"),
  } },
  { "/captcha question Sky colour? | blue | red | green", "admin", effect = {
    setting("captcha.answer", "blue"), setting("captcha.decoys", "red | green"),
  } },
  -- flood
  { "/flood", "admin", effect = { m.reply("Flood control: on") } },
  { "/flood off", "admin", effect = { setting("flood.on", "0") } },
  { "/setflood 10", "admin", effect = { setting("flood.max", "10") } },
  { "/setfloodtime 10", "admin", effect = { setting("flood.time", "10") } },
  { "/floodaction ban", "admin", effect = { setting("flood.action", "ban") } },
  { "/floodexempt photos", "admin", effect = { setting("flood.exempt", "photo") } },
  { "/floodgban 3", "sudo", global = { "warden:settings" }, effect = {
    { expect_redis = { "HGET", "warden:settings", "flood.gban_after" }, equals = "3" },
  } },
  { "/floodgban", "sudo", effect = { m.reply("Flooding does not lead to a global ban.") } },
  -- locks
  { "/locks", "admin", effect = { m.reply("Locks here:") } },
  { "/lock links", "admin", effect = { setting("lock.links", "delete") } },
  { "/lock all ban", "admin", effect = { setting("lock.stickers", "ban"), setting("lock.links", "ban") } },
  { "/unlock all", "admin", setup = { set("lock.links", "delete") }, effect = { m.no_setting("lock.links") } },
  { "/unlock links", "admin", setup = { set("lock.links", "delete") }, effect = { m.no_setting("lock.links") } },
  -- welcome
  { "/setwelcome Hi {first}", "admin", effect = { setting("welcome.text", "Hi {first}"), setting("welcome.on", "1") } },
  { "/welcome off", "admin", setup = { set("welcome.on", "1") }, effect = { setting("welcome.on", "0") } },
  { "/welcome", "admin", effect = { m.reply("Welcomes are off.") } },
  { "/resetwelcome", "admin", setup = { set("welcome.text", "Hi") }, effect = { m.no_setting("welcome.text") } },
  { "/setrules Be nice", "admin", effect = { setting("rules.text", "Be nice") } },
  { "/clearrules", "admin", setup = { set("rules.text", "Be nice") }, effect = { m.no_setting("rules.text") } },
  { "/setabout A test group", "admin", effect = { setting("about.text", "A test group") } },
  { "/rules", "member", setup = { set("rules.text", "Be nice") }, effect = {
    m.reply("The rules of this group:\n\nBe nice"),
  } },
  { "/about", "member", setup = { set("about.text", "A test group") }, effect = {
    m.reply("About this group:\n\nA test group"),
  } },
  -- settings
  { "/settings", "admin", effect = { m.reply("Settings of this group") } },
  { "/lang", "member", effect = { m.reply("This group's language: en.") } },
  { "/lang de", "admin", effect = { setting("lang", "de") } },
  -- logchannel
  { "/setlog $logs", "admin", effect = {
    { expect = "sendMessage", params = { chat_id = "$logs" }, text = "moderation log of Group A" },
    setting("log.chat", "$logs"),
  } },
  { "/unsetlog", "admin", setup = { set("log.chat", "$logs") }, effect = { m.no_setting("log.chat") } },
  { "/log", "admin", effect = { m.reply("This chat has no log channel.") } },
}

return m.spec(m.cases(commands))
