-- Hostile command arguments (issue 7): huge and negative numbers, bad durations, injection attempts into
-- Redis keys and Lua patterns, `%` escapes, zero-width and direction characters. Each gets a clear reply
-- (or the documented silence), no plugin error (the runner fails a case whose plugin raised), no action on
-- anyone, and no Redis key changed outside chat A — for a refusal, none changed at all.
-- World and helpers: plugins/spec/lib/role_matrix.lua.
local m = require("role_matrix")
local A = m.A

local ZWSP, RLO = "\u{200B}", "\u{202E}"
local NEED_TARGET = "Reply to a message, or give a user id or @username."
local BAD_ID = "That is not a user id."
local LIKE = "give a duration like 30m, 2h or 7d"
local RANGE = "a duration must be between 30s and 366d"
local BAD_PATTERN = "That pattern cannot be used: "

--- `command` (by `role`, default admin) is refused with one reply containing `reply`: nothing else is called
-- and no key changes anywhere.
local function refused(command, reply, role)
  return {
    name = command:sub(1, 60) .. " → " .. reply,
    steps = {
      m.seed(), m.snapshot("all", m.PER_MESSAGE), m.send(role or "admin", command),
      { expect = "sendMessage", ok = true, params = { chat_id = "$group" }, text = reply },
      { expect = "sendMessage", ok = true, count = 1 }, m.no_actions(), { expect_redis_unchanged = "all" },
    },
  }
end

--- `command` gets no answer at all and changes nothing (it does not fit the command's form).
local function ignored(command, role)
  return {
    name = command .. " is not a command: silence",
    steps = { m.seed(), m.snapshot("all", m.PER_MESSAGE), m.send(role or "admin", command), m.silent(),
      { expect_redis_unchanged = "all" } },
  }
end

--- `command` (by `role`, default admin, after Redis `setup` steps) is accepted: `effect` holds and nothing
-- outside chat A changed.
local function accepted(name, command, effect, role, setup)
  local steps = { m.seed() }
  if setup then steps[#steps + 1] = setup end
  steps[#steps + 1] = m.snapshot("outside", { A })
  steps[#steps + 1] = m.send(role or "admin", command)
  steps[#steps + 1] = effect
  steps[#steps + 1] = { expect_redis_unchanged = "outside" }
  return { name = name, steps = steps }
end

-- Twenty filter patterns, the most a chat may have.
local twenty_patterns = {}
for index = 1, 20 do twenty_patterns[index] = { redis = { "HSET", A .. "blocklist", "re:x" .. index, "delete" } } end

local long_reason = ("x"):rep(5000)
local clipped_reason = ("x"):rep(300) .. "…"

local cases = {
  -- Who: ids out of range, negative, zero, and text posing as keys, globs, shell or format strings.
  refused("/ban 99999999999999999999999", BAD_ID),
  refused("/ban 9223372036854775808", BAD_ID),
  refused("/ban 0", BAD_ID),
  refused("/ban -5", NEED_TARGET),
  refused("/ban @sam*", NEED_TARGET),
  refused("/ban @a:b{chat:1}", NEED_TARGET),
  refused("/ban warden:{chat:1}:settings", NEED_TARGET),
  refused("/ban $(rm -rf /)", NEED_TARGET),
  refused("/ban %s%s%n", NEED_TARGET),
  refused("/ban @sam" .. ZWSP, NEED_TARGET),
  refused("/mute " .. RLO .. "@sam", NEED_TARGET),
  refused("/kick @nobody_here", "I have not seen @nobody_here yet"),
  refused("/unban 1e5", NEED_TARGET),
  refused("/warn -1001000000001", NEED_TARGET, "mod"),
  refused("/warns warden:{chat:1}:warns", NEED_TARGET, "mod"),
  refused("/info %d+", NEED_TARGET, "mod"),
  refused("/promote 99999999999999999999", BAD_ID, "owner"),
  refused("/approve .*", NEED_TARGET),
  refused("/gban 99999999999999999999999", BAD_ID, "sudo"),
  refused("/gban $bot", "I will not ban that user globally.", "sudo"),
  refused("/sudo add -5", BAD_ID, "sudo"),
  refused("/sudo add 1e400", BAD_ID, "sudo"),
  refused("/leave 99999999999999999999", "Give the chat's id", "sudo"),
  refused("/setlog 99999999999999999999999", "Reply /setlog to a post forwarded from the log channel"),
  -- The largest id there is: taken as written; Telegram knows no such user, and the bot says so.
  accepted("/ban 9223372036854775807: Telegram's refusal is the reply", "/ban 9223372036854775807", {
    { expect = "banChatMember", ok = false, params = { user_id = 9223372036854775807 } },
    { expect = "sendMessage", ok = true, text = "I could not ban" },
    { expect_no = "banChatMember", params = { user_id = "$sam" } },
  }),
  -- Durations: negative, huge, too short, not numbers.
  refused("/tban @sam -1h", LIKE),
  refused("/tban @sam 1e400s", LIKE),
  refused("/tban @sam 2h%s", LIKE),
  refused("/tmute @sam 99999999999d", RANGE),
  refused("/tmute @sam 999999999d", RANGE),
  refused("/tmute @sam 0s", RANGE),
  refused("/warnaction tban 99999999999d", RANGE),
  refused("/warnaction tmute 5s", RANGE),
  refused("/lock links tban 99999999999d", RANGE),
  refused("/filter spam tmute 5s", RANGE),
  -- Numbers for settings: negative, overflowing, not numbers.
  refused("/setflood -3", "give a number from 2 to 100"),
  refused("/setflood 1e400", "give a whole number"),
  refused("/setflood 99999999999999999999", "give a whole number"),
  refused("/setfloodtime -1", "give a number from 1 to 300"),
  refused("/setwarn 0", "give a number from 1 to 100"),
  refused("/setwarn 1e400", "give a whole number"),
  refused("/antiraid duration -5", "give a number from 60 to 86400"),
  refused("/antiraid 99999999999999999999 10", "give a whole number"),
  -- Both are checked before either is stored: the joins are not kept when the window is refused.
  refused("/antiraid 5 0", "give a number from 1 to 3600"),
  refused("/captcha time 1e400", "give a whole number"),
  refused("/captcha time -1", "give a number from 15 to 3600"),
  refused("/floodgban -1", "/floodgban K", "sudo"),
  refused("/floodgban 1e400", "/floodgban K", "sudo"),
  -- Lua pattern specials where a word or kind is expected, and patterns that would not compile, would
  -- match everything, or could take minutes to match.
  refused("/lock %d+", "%d+ is not something I can lock"),
  refused("/lock links %s", "an action is delete, warn, mute, tmute D, kick, ban or tban D"),
  refused("/floodexempt %d+", "d is not a kind"),
  refused("/filter re:(", BAD_PATTERN .. "unfinished capture"),
  refused("/filter re:[%", BAD_PATTERN),
  refused("/filter re:%", BAD_PATTERN),
  refused("/filter re:.*", BAD_PATTERN .. "it matches an empty text"),
  refused("/filter re:.-.-x", BAD_PATTERN .. "at most one of * + - ?"),
  refused("/filter re:a*a*b", BAD_PATTERN .. "at most one of * + - ?"),
  refused("/filter re:" .. ("a"):rep(101), BAD_PATTERN .. "at most 100 characters"),
  refused("/filter (", "That has no letters or digits to match."),
  refused("/filter " .. ("spam "):rep(30), "That is too long: at most 100 characters."),
  refused("/unfilter %d+", '"%d+" was not blocked.'),
  refused("/lang ../../etc/passwd", "There is no translation called ../../etc/passwd"),
  refused("/setwelcome " .. ("w"):rep(3001), "That is too long: at most 3000 characters."),
  refused("/setrules " .. ("r"):rep(3001), "That is too long: at most 3000 characters."),
  -- Arguments that do not fit a command's form at all are not that command (commands.md): no answer.
  ignored("/help %d"),
  ignored("/plugins disable ../x here"),
  ignored("/gbanoptout 1; DEL x", "owner"),
  -- Free text is kept as written: patterns, escapes and placeholders are never interpreted.
  accepted("a reason with % escapes and placeholders is shown as written", "/ban @sam %s%s%n {name} %1 $(id)", {
    { expect = "banChatMember", params = { chat_id = "$group", user_id = "$sam" } },
    m.reply("Banned Sam: %s%s%n {name} %1 $(id)"),
  }),
  accepted("a 5000-character reason is cut to 300 in the reply and the record", "/warn @sam " .. long_reason, {
    { expect = "sendMessage", ok = true, text = "Sam has 1/3 warnings: " .. clipped_reason },
    { expect_redis = { "LINDEX", A .. "warn_reasons:$sam", "0" }, equals = clipped_reason },
  }, "mod"),
  accepted("a 5000-character ban reason still gets its announcement", "/ban @sam " .. long_reason, {
    { expect = "sendMessage", ok = true, text = "Banned Sam: " .. clipped_reason },
  }),
  accepted("a plain filter of pattern specials is stored literally", "/filter %s%n", {
    { expect_redis = { "HGET", A .. "blocklist", "%s%n" }, equals = "delete" },
  }),
  accepted("a filter pattern with one repetition and sets is fine", "/filter re:b[uo][^%s]+ [%d%-]", {
    { expect_redis = { "HGET", A .. "blocklist", "re:b[uo][^%s]+ [%d%-]" }, equals = "delete" },
  }),
  accepted("rules with escapes, placeholders and invisible characters", "/setrules %s%1 {first} " .. ZWSP .. RLO, {
    m.setting("rules.text", "%s%1 {first} " .. ZWSP .. RLO),
  }),
  accepted("a welcome with escapes fills in only its placeholders", "/setwelcome %s {first} %1 {nope}", {
    m.reply("It will look like this:\n\n%s Adam %1 {nope}"),
  }),
  accepted("a captcha question and answers of pattern specials", "/captcha question %s%1 | %d+ | (", {
    m.setting("captcha.question", "%s%1"), m.setting("captcha.answer", "%d+"), m.setting("captcha.decoys", "("),
  }),
  accepted("a broadcast of escapes goes out as written", "/broadcast %s%n " .. RLO .. "x", {
    { expect = "sendMessage", ok = true, params = { chat_id = "$other" }, text = "%s%n " .. RLO .. "x" },
  }, "sudo"),
  accepted("a welcome full of placeholders: the preview fits one message", "/setwelcome " .. ("{mention}"):rep(330), {
    { expect = "sendMessage", ok = true, text = "Welcome saved and switched on." },
  }),
  accepted("a 21st filter pattern is refused", "/filter re:x21", {
    m.reply(BAD_PATTERN .. "this chat has 20 patterns already"),
    { expect_redis = { "HEXISTS", A .. "blocklist", "re:x21" }, equals = 0 },
  }, "admin", twenty_patterns),
}

-- An action stored with an out-of-range duration (as /floodaction still accepts) stays temporary when it runs.
cases[#cases + 1] = {
  name = "a stored tban of 99999999999d bans a flooder for 366 days, not for good",
  steps = {
    m.seed(), m.set_setting("flood.max", "2"), m.set_setting("flood.action", "tban 99999999999d"),
    { from = "mel", chat = "group", text = "one" }, { from = "mel", chat = "group", text = "two" },
    { from = "mel", chat = "group", text = "three" },
    { expect = "banChatMember", params = { chat_id = "$group", user_id = "$mel" } },
    m.reply("Banned Mel for 366d"),
  },
}
-- Out-of-range flood actions and overlong captcha questions are refused when set.
for _, action in ipairs({ "tban 99999999999d", "tmute 5s" }) do
  cases[#cases + 1] = {
    name = "/floodaction " .. action .. " → " .. RANGE,
    steps = { m.seed(), m.send("admin", "/floodaction " .. action), m.reply(RANGE),
      { expect_redis = { "HEXISTS", A .. "settings", "flood.action" }, equals = 0 } },
  }
end
cases[#cases + 1] = {
  name = "/captcha question of 4050 characters is refused: no challenge could carry it",
  steps = { m.seed(), m.send("admin", "/captcha question " .. ("q"):rep(4050) .. " | yes"),
    m.reply("too long"), { expect_redis = { "HEXISTS", A .. "settings", "captcha.question" }, equals = 0 } },
}

return m.spec(cases)
