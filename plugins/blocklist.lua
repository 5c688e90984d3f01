-- Blocklist: words and patterns a group does not allow, each with an action. Plain words match whole
-- words, ignoring case and look-alike letters ("FR33 МОNЕY" matches "free money"); an entry written
-- re:PATTERN is a Lua pattern matched against the lowercased text.
local i18n = require("i18n")
local punish = require("punish")
local settings = require("settings")
local stamped = require("stamped")
local textcheck = require("textcheck")

local MAX_TEXT = 4096
local MAX_ENTRY = 100 -- characters of one entry, so /filters and the replies stay readable
local MAX_PATTERNS = 20 -- re: entries per chat: each may cost a scan of the text in C

local function key(chat_id) return keys.chat(chat_id, "blocklist") end

-- Each chat's entries while its key stays the same: most chats have none, and every message is checked.
local kept = stamped.new(2000)
local function read_entries(blocklist_key) return redis:hgetall(blocklist_key) or {} end

--- A Lua pattern we accept: it compiles, and matching it cannot take long — string.find runs in C, outside
-- the instruction budget, and backtracks: two repetitions (".-.-x") take over a minute on 4096 bytes of
-- "aaa…", one takes milliseconds. A pattern that matches an empty text would block every message.
local function check_pattern(pattern)
  if #pattern > MAX_ENTRY then return nil, "at most " .. MAX_ENTRY .. " characters" end
  -- Escapes (%a, %.) and sets ([a-z-]) are single items; what is left shows the repetitions.
  local items = pattern:gsub("%%.", "x"):gsub("%[%^?%]?[^%]]*%]", "x")
  local _, repetitions = items:gsub("[%*%+%-%?]", "")
  if repetitions > 1 then return nil, "at most one of * + - ?" end
  local ok, found = pcall(string.find, "", pattern)
  if not ok then return nil, (tostring(found):gsub("^.-:%d+: ", "")) end
  if found then return nil, "it matches an empty text, so it would block every message" end
  return true
end

local function pattern_count(chat_id)
  local count = 0
  for entry in pairs(redis:hgetall(key(chat_id)) or {}) do
    if entry:match("^re:") then count = count + 1 end
  end
  return count
end

--- The first entry the text breaks, with its action.
local function matching(entries, text)
  text = text:sub(1, MAX_TEXT)
  local lowered, skeleton = text:lower(), nil
  for entry, action in pairs(entries) do
    local pattern = entry:match("^re:(.+)$")
    if pattern then
      local ok, found = pcall(string.find, lowered, pattern)
      if ok and found then return entry, action end
    else
      skeleton = skeleton or textcheck.skeleton(text)
      if skeleton:find(textcheck.skeleton(entry), 1, true) then return entry, action end
    end
  end
  return nil
end

local function enforce(msg)
  if msg.chat.type ~= "group" and msg.chat.type ~= "supergroup" then return msg end
  local text = msg.text or msg.caption
  if not text or not msg.from or msg.command then return msg end
  local entries = kept:get(msg.chat.id, key(msg.chat.id), read_entries)
  if next(entries) == nil then return msg end
  local entry, action = matching(entries, text)
  if not entry or is_approved(msg) then return msg end
  local reason = i18n.t(msg.chat.id, "blocklist.reason", { entry = entry })
  local name = (user_print_name(msg.from):gsub("_", " "))
  if action == "delete" then
    bot.delete(msg.chat.id, msg.message_id)
  else
    punish.apply({ chat = msg.chat, user_id = msg.from.id, name = name, reason = reason, delete = msg.message_id },
      action)
  end
  return nil
end

--- "/filter free money ban", "/filter re:b[uo]y now tmute 1h": the entry, and the action at its end.
local function parse(args)
  for _, take in ipairs({ 2, 1 }) do
    local words = {}
    for word in args:gmatch("%S+") do words[#words + 1] = word end
    if #words > take then
      local action = table.concat(words, " ", #words - take + 1)
      if settings.valid_action(action) then
        return table.concat(words, " ", 1, #words - take), action
      end
    end
  end
  return args, "delete"
end

local function add(msg, t, args)
  local entry, action = parse(args)
  entry = entry:lower()
  local usable, problem = punish.check_action(action)
  if not usable then return problem end
  local pattern = entry:match("^re:(.+)$")
  if pattern then
    local ok, why = check_pattern(pattern)
    if ok and pattern_count(msg.chat.id) >= MAX_PATTERNS and not redis:hexists(key(msg.chat.id), entry) then
      ok, why = nil, "this chat has " .. MAX_PATTERNS .. " patterns already"
    end
    if not ok then return t("blocklist.bad_pattern", { why = why }) end
  elseif textcheck.skeleton(entry):match("^%s*$") then
    return t("blocklist.empty")
  elseif (utf8.len(entry) or #entry) > MAX_ENTRY then
    return t("blocklist.too_long", { max = MAX_ENTRY })
  end
  redis:hset(key(msg.chat.id), entry, action)
  return t("blocklist.added", { entry = entry, action = action })
end

return {
  description = "Deletes messages with blocked words or patterns, with an action per entry.",
  usage = {
    "/filter WORDS [action]: block words (actions: delete (default), warn, mute, tmute 1h, kick, ban, tban 1d)",
    "/filter re:PATTERN [action]: block a Lua pattern (matched against lowercased text)",
    "/unfilter ENTRY: unblock",
    "/filters: the list",
  },
  patterns = { "^[!/#](filter)%s+(.+)$", "^[!/#](unfilter)%s+(.+)$", "^[!/#](filters)$" },
  pre_process = enforce,
  run = function(msg, matches)
    local t = i18n.for_chat(msg.chat.id)
    if msg.chat.type == "private" then return t("common.groups_only") end
    if not is_admin(msg) then return nil end
    if matches[1] == "filter" then return add(msg, t, matches[2]) end
    if matches[1] == "unfilter" then
      local removed = redis:hdel(key(msg.chat.id), matches[2]:lower()) == 1
      return t(removed and "blocklist.removed" or "blocklist.missing", { entry = matches[2] })
    end
    local entries = redis:hgetall(key(msg.chat.id)) or {}
    local lines = {}
    for entry, action in pairs(entries) do lines[#lines + 1] = "• " .. entry .. " → " .. action end
    if #lines == 0 then return t("blocklist.none") end
    table.sort(lines)
    return t("blocklist.title") .. "\n" .. table.concat(lines, "\n")
  end,
}
