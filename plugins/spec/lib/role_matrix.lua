-- Shared by plugins/spec/role_matrix_*_spec.lua: one world with a user for every role, and cases generated
-- from a table of commands, so every command is tried by every role docs/commands.md puts below it.
--
-- A command entry: { "/ban $sam", "admin", effect = { steps }, setup = { steps }, reply = true,
--   global = { "warden:gbans" }, as_channel = { steps } }
--   [1]     the command, sent in chat A (`group`)
--   [2]     the lowest role allowed: member, approved, mod, admin, owner or sudo
--   effect  steps that pass only if the command did what it promises (after the lowest allowed role sent it)
--   setup   steps before the command (state it acts on); Redis setup only, so the bot stays idle
--   reply   the command replies to sam's message labelled `target` (/del, /purge, /report)
--   global  key prefixes outside chat A that the command may change (the global ban list, say)
--   as_channel  for member commands: what a message posted as a channel gets instead of `effect`
--
-- For each entry the generated cases are:
--   * every role below [2] sends it: no call that changes anything or says anything, and no Redis key
--     changes (anywhere) — commands.md: "A member who issues a command above their role changes nothing
--     and gets no answer";
--   * the lowest allowed role sends it (an admin command also as an anonymous admin, a member command also
--     as a channel): `effect` holds, and no Redis key outside chat A changed — per-chat isolation, checked
--     against chat B (`other`), which is seeded with state of its own.
local M = {}

-- Roles lowest first. `channel` (posting as a channel) counts as a member and `anon` (an anonymous admin,
-- posting as the group itself) as an admin: docs/plugin-api.md, "Roles".
local RANK = { member = 0, channel = 0, approved = 1, mod = 2, admin = 3, anon = 3, owner = 4, sudo = 5 }
local ORDER = { "member", "channel", "approved", "mod", "anon", "admin", "owner", "sudo" }

-- Who sends as each role (mods and approved users are made so by M.seed()).
local SENDER = {
  sudo = { from = "root" }, owner = { from = "olga" }, admin = { from = "adam" }, mod = { from = "mia" },
  approved = { from = "apu" }, member = { from = "mel" }, anon = { sender_chat = "group" },
  channel = { sender_chat = "news" },
}

M.A = "warden:{chat:$group}:"
M.B = "warden:{chat:$other}:"

-- Keys the core keeps up to date for every update (users seen, managed chats, the poller's ledger): not
-- something a command does.
local CORE = { "warden:bot:", "warden:names", "warden:usernames", "warden:chats" }

local function everyone_in(extra)
  local chat = { creator = "olga", admins = { adam = { "can_restrict_members", "can_delete_messages" } },
    members = { "root", "mia", "apu", "mel", "sam" } }
  for key, value in pairs(extra) do chat[key] = value end
  return chat
end

--- The spec table without its cases: every plugin, the users behind the roles, chat A (`group`), chat B
-- (`other`, the same people), a channel to post as (`news`), a log channel and a spare group for /leave.
function M.spec(cases)
  return {
    plugins = {
      "gban", "antiraid", "captcha", "flood", "locks", "blocklist", "bans", "warns", "roles", "reports",
      "welcome", "settings", "logchannel", "plugins", "sudo", "help", "id",
    },
    sudo = { "root" },
    users = {
      root = { first_name = "Root" }, olga = { first_name = "Olga", username = "olga" },
      adam = { first_name = "Adam", username = "adam" }, mia = { first_name = "Mia", username = "mia" },
      apu = { first_name = "Apu", username = "apu" }, mel = { first_name = "Mel", username = "mel" },
      sam = { first_name = "Sam", username = "sam" },
    },
    chats = {
      group = everyone_in({ title = "Group A" }),
      other = everyone_in({ title = "Group B" }),
      spare = everyone_in({ title = "Spare" }),
      news = { type = "channel", title = "News", creator = "olga" },
      logs = { type = "channel", title = "Mod log", creator = "olga" },
    },
    cases = cases,
  }
end

--- Redis setup every case starts with: mia is a moderator and apu approved in chat A; chat B has state of
-- its own (roles, warnings, bans, settings, filters) that nothing done in chat A may touch.
function M.seed()
  local sam_record = '{"name":"Sam","reason":"seeded","by":1,"date":1,"until_date":0}'
  return {
    { redis = { "SADD", M.A .. "mods", "$mia" } },
    { redis = { "SADD", M.A .. "approved", "$apu" } },
    -- The bot has seen everyone (the core's users-seen cache): names in replies, @usernames resolve.
    { redis = { "HSET", "warden:names", "$sam", "Sam", "$mia", "Mia", "$apu", "Apu", "$mel", "Mel" } },
    { redis = { "HSET", "warden:usernames", "sam", "$sam", "mia", "$mia", "apu", "$apu", "mel", "$mel" } },
    { redis = { "SADD", "warden:chats", "$group", "$other", "$spare" } },
    { redis = { "SADD", M.B .. "mods", "$mia", "$sam" } },
    { redis = { "SADD", M.B .. "approved", "$apu", "$sam" } },
    { redis = { "HSET", M.B .. "warns", "$sam", "2" } },
    { redis = { "RPUSH", M.B .. "warn_reasons:$sam", "one", "two" } },
    { redis = { "HSET", M.B .. "bans", "$sam", sam_record } },
    { redis = { "HSET", M.B .. "mutes", "$sam", sam_record } },
    { redis = { "HSET", M.B .. "blocklist", "spam", "delete" } },
    { redis = { "SADD", M.B .. "disabled_plugins", "help" } },
    { redis = { "HSET", M.B .. "settings", "flood.max", "7", "lock.links", "ban", "welcome.on", "1",
      "welcome.text", "Hi B", "rules.text", "B rules", "about.text", "B about", "warn.limit", "4",
      "captcha.on", "1", "antiraid.on", "0", "reports.on", "0", "lang", "de", "log.chat", "$logs" } },
  }
end

--- One message of `text` in chat A sent as `role`.
function M.send(role, text, reply)
  local step = { chat = "group", text = text, reply_to = reply and "target" or nil }
  for key, value in pairs(SENDER[role]) do step[key] = value end
  return step
end

-- Calls that change a chat or say something: a refused command makes none of them.
local ACTIONS = {
  "sendMessage", "banChatMember", "unbanChatMember", "restrictChatMember", "deleteMessage", "deleteMessages",
  "editMessageText", "leaveChat", "answerCallbackQuery", "promoteChatMember", "pinChatMessage",
  "approveChatJoinRequest", "declineChatJoinRequest", "banChatSenderChat",
}

--- Expectations that the bot did nothing visible (after it handled every update so far).
function M.silent()
  local steps = {}
  for _, method in ipairs(ACTIONS) do steps[#steps + 1] = { expect_no = method } end
  return steps
end

--- The same, but messages are allowed (a refusal is a reply).
function M.no_actions()
  local steps = {}
  for _, method in ipairs(ACTIONS) do
    if method ~= "sendMessage" then steps[#steps + 1] = { expect_no = method } end
  end
  return steps
end

--- A snapshot of every key but the core's bookkeeping and `except` (a list of prefixes).
function M.snapshot(label, except)
  local skip = {}
  for _, prefix in ipairs(CORE) do skip[#skip + 1] = prefix end
  for _, prefix in ipairs(except or {}) do skip[#skip + 1] = prefix end
  return { redis_snapshot = label, match = "*", except = skip }
end

-- Per-update bookkeeping inside chat A that any message causes, whoever sends it: flood's message lists
-- and the Telegram admin cache filled by a role lookup.
local PER_MESSAGE = { M.A .. "flood:", M.A .. "admins" }
M.PER_MESSAGE = PER_MESSAGE

local function denied_case(entry, roles)
  local names = table.concat(roles, ", ")
  local steps = { M.seed() }
  if entry.setup then steps[#steps + 1] = entry.setup end
  if entry.reply then steps[#steps + 1] = { from = "sam", chat = "group", text = "buy followers", as = "target" } end
  steps[#steps + 1] = M.snapshot("before", PER_MESSAGE)
  for _, role in ipairs(roles) do steps[#steps + 1] = M.send(role, entry[1], entry.reply) end
  steps[#steps + 1] = M.silent()
  steps[#steps + 1] = { expect_redis_unchanged = "before" }
  if entry.reply then steps[#steps + 1] = { expect_visible = "target" } end
  return { name = entry[1] .. " (" .. entry[2] .. "): " .. names .. " change nothing", steps = steps }
end

local function allowed_case(entry, role, effect)
  local except = { M.A }
  for _, prefix in ipairs(entry.global or {}) do except[#except + 1] = prefix end
  local steps = { M.seed() }
  if entry.setup then steps[#steps + 1] = entry.setup end
  if entry.reply then steps[#steps + 1] = { from = "sam", chat = "group", text = "buy followers", as = "target" } end
  steps[#steps + 1] = M.snapshot("outside", except)
  steps[#steps + 1] = M.send(role, entry[1], entry.reply)
  steps[#steps + 1] = effect
  steps[#steps + 1] = { expect_redis_unchanged = "outside" }
  return { name = entry[1] .. " (" .. entry[2] .. "): works for " .. role .. ", chat B untouched", steps = steps }
end

--- The cases for a list of command entries (see the top of this file).
function M.cases(entries)
  local cases = {}
  for _, entry in ipairs(entries) do
    local required = RANK[entry[2]]
    assert(required, "unknown role " .. tostring(entry[2]) .. " for " .. entry[1])
    local below = {}
    for _, role in ipairs(ORDER) do
      if RANK[role] < required then below[#below + 1] = role end
    end
    if #below > 0 then cases[#cases + 1] = denied_case(entry, below) end
    cases[#cases + 1] = allowed_case(entry, entry[2], entry.effect)
    if entry[2] == "admin" then cases[#cases + 1] = allowed_case(entry, "anon", entry.effect) end
    if entry[2] == "member" then
      cases[#cases + 1] = allowed_case(entry, "channel", entry.as_channel or entry.effect)
    end
  end
  return cases
end

--- Shorthands for effects.
function M.reply(text) return { expect = "sendMessage", params = { chat_id = "$group" }, text = text } end
function M.setting(name, value) return { expect_redis = { "HGET", M.A .. "settings", name }, equals = value } end
function M.no_setting(name) return { expect_redis = { "HEXISTS", M.A .. "settings", name }, equals = 0 } end
function M.set_setting(name, value) return { redis = { "HSET", M.A .. "settings", name, value } } end

return M
