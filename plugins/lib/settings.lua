-- Per-chat settings: one Redis hash per chat (keys.chat(id, "settings")). Every setting is declared
-- here with its type and default, so /settings can show them all, a plugin reads a typed value, and
-- a wrong value is refused with a reason instead of being stored.
local stamped = require("stamped")

local M = {}

--- The lockable kinds, in the order /locks and /settings show them.
M.LOCKS = {
  "links", "forwards", "mentions", "hashtags", "bots", "arabic", "rtl", "cjk", "cyrillic", "stickers", "gifs",
  "photos", "videos", "video_notes", "voice", "audio", "documents", "contacts", "locations", "games", "polls",
  "dice", "inline", "buttons", "service", "commands", "edits",
}

local ACTIONS = { delete = true, warn = true, mute = true, tmute = true, kick = true, ban = true, tban = true }

--- name → { type = "int"|"bool"|"string"|"action", default = …, min/max for ints }
local DEFS = {
  ["flood.on"] = { type = "bool", default = true },
  ["flood.max"] = { type = "int", default = 5, min = 2, max = 100 },
  ["flood.time"] = { type = "int", default = 5, min = 1, max = 300 },
  ["flood.action"] = { type = "action", default = "mute" },
  ["flood.exempt"] = { type = "string", default = "" }, -- media kinds, space-separated
  ["warn.limit"] = { type = "int", default = 3, min = 1, max = 100 },
  ["warn.action"] = { type = "action", default = "ban" },
  ["welcome.on"] = { type = "bool", default = false },
  ["welcome.text"] = { type = "string", default = "" },
  ["welcome.clean"] = { type = "bool", default = true },
  ["rules.text"] = { type = "string", default = "" },
  ["about.text"] = { type = "string", default = "" },
  ["captcha.on"] = { type = "bool", default = false },
  ["captcha.mode"] = { type = "string", default = "button", choices = { button = true, math = true, question = true } },
  ["captcha.time"] = { type = "int", default = 120, min = 15, max = 3600 },
  ["captcha.question"] = { type = "string", default = "" },
  ["captcha.answer"] = { type = "string", default = "" },
  ["captcha.decoys"] = { type = "string", default = "" }, -- wrong answers shown as buttons, separated by |
  ["antiraid.on"] = { type = "bool", default = true },
  ["antiraid.joins"] = { type = "int", default = 10, min = 2, max = 1000 },
  ["antiraid.window"] = { type = "int", default = 10, min = 1, max = 3600 },
  ["antiraid.duration"] = { type = "int", default = 600, min = 60, max = 86400 },
  ["antiraid.action"] = { type = "string", default = "mute", choices = { mute = true, kick = true } },
  ["log.chat"] = { type = "int", default = 0 },
  ["lang"] = { type = "string", default = "en" },
  ["gban.opt_out"] = { type = "bool", default = false },
  ["reports.on"] = { type = "bool", default = true },
}
for _, kind in ipairs(M.LOCKS) do DEFS["lock." .. kind] = { type = "action", default = "", optional = true } end
M.DEFS = DEFS

local function key(chat_id) return keys.chat(chat_id, "settings") end

--- "mute", "tmute 30m", "ban", … → true; anything else → nil and why.
function M.valid_action(text)
  local kind, rest = tostring(text):match("^(%a+)%s*(.-)$")
  if not kind or not ACTIONS[kind] then return nil, "an action is delete, warn, mute, tmute D, kick, ban or tban D" end
  local timed = kind == "tmute" or kind == "tban"
  if timed and not rest:match("^%d+[smhdw]$") then return nil, kind .. " needs a duration like 30m, 2h or 7d" end
  if not timed and rest ~= "" then return nil, kind .. " takes no duration" end
  return true
end

local function decode(def, raw)
  if raw == nil or raw == false then return def.default end
  if def.type == "int" then return math.tointeger(tonumber(raw)) or def.default end
  if def.type == "bool" then return raw == "1" end
  return raw
end

--- One setting of a chat, typed, or its default.
function M.get(chat_id, name)
  local def = assert(DEFS[name], "no setting called " .. tostring(name))
  return decode(def, redis:hget(key(chat_id), name))
end

-- Decoded settings by chat, each kept while the read cache says its key did not change.
local decoded = stamped.new(2000)

local function decode_all(settings_key)
  local stored = redis:hgetall(settings_key) or {}
  local values = {}
  for name, def in pairs(DEFS) do values[name] = decode(def, stored[name]) end
  return values
end

--- Every setting of a chat as name → typed value, in one round trip at most (none while cached).
-- The table may be shared with the next call: read it, do not change it.
function M.all(chat_id) return decoded:get(chat_id, key(chat_id), decode_all) end

--- Checks and stores a setting; returns the stored value, or nil and a reason for the user.
function M.set(chat_id, name, value)
  local def = DEFS[name]
  if not def then return nil, "no setting called " .. tostring(name) end
  local raw
  if def.type == "bool" then
    if value == true or value == "on" or value == "yes" or value == "1" then raw = "1"
    elseif value == false or value == "off" or value == "no" or value == "0" then raw = "0"
    else return nil, "say on or off" end
  elseif def.type == "int" then
    local number = math.tointeger(tonumber(value))
    if not number then return nil, "give a whole number" end
    if (def.min and number < def.min) or (def.max and number > def.max) then
      return nil, "give a number from " .. def.min .. " to " .. def.max
    end
    raw = tostring(number)
  elseif def.type == "action" then
    if def.optional and (value == "" or value == nil) then
      redis:hdel(key(chat_id), name)
      return ""
    end
    local ok, why = M.valid_action(value)
    if not ok then return nil, why end
    raw = tostring(value)
  else
    raw = tostring(value)
    if def.choices and not def.choices[raw] then
      local names = {}
      for choice in pairs(def.choices) do names[#names + 1] = choice end
      table.sort(names)
      return nil, "choose one of: " .. table.concat(names, ", ")
    end
  end
  redis:hset(key(chat_id), name, raw)
  return decode(def, raw)
end

--- Back to the default.
function M.reset(chat_id, name) redis:hdel(key(chat_id), name) end

--- The action for a lock, or nil when the kind is not locked.
function M.lock(chat_id, kind)
  local action = M.get(chat_id, "lock." .. kind)
  if action == "" then return nil end
  return action
end

return M
