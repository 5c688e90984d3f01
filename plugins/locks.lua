-- Locks: kinds of content a group does not allow (links, forwards, stickers, scripts, …), each with an
-- action (delete, warn, mute, kick, ban). Edited messages are checked again; admins, mods and approved
-- users are exempt.
local i18n = require("i18n")
local punish = require("punish")
local settings = require("settings")
local textcheck = require("textcheck")

local BY_KIND = {
  stickers = "sticker", gifs = "animation", photos = "photo", videos = "video", video_notes = "video_note",
  voice = "voice", audio = "audio", documents = "document", contacts = "contact", games = "game", polls = "poll",
  dice = "dice",
}
local SCRIPT_LOCKS = { arabic = true, rtl = true, cjk = true, cyrillic = true }

local MENTIONS = { mention = true, text_mention = true }
local HASHTAGS = { hashtag = true }

-- Whether a message breaks a lock, for the locks that are not a message kind (BY_KIND) or a script.
-- Top-level functions and a table made once: this runs for every message of every group.
local CHECKS = {
  links = function(msg) return textcheck.has_link(msg) end,
  forwards = function(msg) return (msg.forward_origin or msg.forward_from or msg.forward_from_chat) ~= nil end,
  mentions = function(msg) return textcheck.has_entity(msg, MENTIONS) end,
  hashtags = function(msg) return textcheck.has_entity(msg, HASHTAGS) end,
  locations = function(msg) return msg.kind == "location" or msg.kind == "venue" end,
  inline = function(msg) return msg.via_bot ~= nil end,
  buttons = function(msg) return msg.reply_markup ~= nil end,
  service = function(msg) return msg.service == true end,
  edits = function(_, edited) return edited end,
}

-- "lock.<kind>" for each kind, in settings.LOCKS order.
local SETTING = {}
for _, kind in ipairs(settings.LOCKS) do SETTING[kind] = "lock." .. kind end

-- What a chat locks, per settings table: settings.all hands out the same table while the chat's settings
-- stay the same, so an ordinary message looks at the kinds locked (mostly none), not at all 27.
-- Weak keys: a table settings.all no longer hands out goes with the next collection.
local locked_by_values = setmetatable({}, { __mode = "k" })

--- { kinds = locked kinds in settings.LOCKS order, scripts = set of the locked scripts or nil }
local function locked(values)
  local found = locked_by_values[values]
  if found then return found end
  found = { kinds = {} }
  for _, kind in ipairs(settings.LOCKS) do
    if values[SETTING[kind]] ~= "" then
      found.kinds[#found.kinds + 1] = kind
      if SCRIPT_LOCKS[kind] then
        found.scripts = found.scripts or {}
        found.scripts[kind] = true
      end
    end
  end
  locked_by_values[values] = found
  return found
end

--- The first locked kind this message breaks, in settings.LOCKS order, or nil.
local function broken(msg, values, edited)
  local lockset = locked(values)
  local used -- the locked scripts the text or caption uses, worked out once
  for _, kind in ipairs(lockset.kinds) do
    local check = CHECKS[kind]
    local hit
    if check then hit = check(msg, edited)
    elseif BY_KIND[kind] then hit = msg.kind == BY_KIND[kind]
    elseif SCRIPT_LOCKS[kind] then
      used = used or textcheck.scripts((msg.text or "") .. " " .. (msg.caption or ""), lockset.scripts)
      hit = used[kind] == true
    end
    if hit then return kind end
  end
  return nil
end

local function name_of(user) return (user_print_name(user):gsub("_", " ")) end

--- Bots added by a non-admin are removed; with an action other than delete the adder is punished too.
local function check_bots(msg, values)
  if values["lock.bots"] == "" or msg.service_action ~= "join" or is_admin(msg) then return end
  for _, member in ipairs(msg.new_chat_members or {}) do
    if member.is_bot and member.id ~= our_id then
      bot.kick(msg.chat.id, member.id)
      local reason = i18n.t(msg.chat.id, "locks.reason", { kind = "bots" })
      if values["lock.bots"] ~= "delete" and msg.from.id ~= member.id then
        punish.apply({ chat = msg.chat, user_id = msg.from.id, name = name_of(msg.from), reason = reason },
          values["lock.bots"])
      end
    end
  end
end

local function enforce(msg, edited)
  if msg.chat.type ~= "group" and msg.chat.type ~= "supergroup" then return msg end
  if not msg.from or msg.from.id == our_id then return msg end
  local values = settings.all(msg.chat.id)
  check_bots(msg, values)
  -- Commands from members are cleaned up, but still run (/report, /rules, /kickme need them).
  if msg.command and values["lock.commands"] ~= "" and not is_approved(msg) then
    bot.delete(msg.chat.id, msg.message_id)
    return msg
  end
  local kind = broken(msg, values, edited)
  if not kind or is_approved(msg) then return msg end
  local action = values[SETTING[kind]]
  if action == "delete" or kind == "service" then
    bot.delete(msg.chat.id, msg.message_id)
  else
    punish.apply({
      chat = msg.chat, user_id = msg.from.id, name = name_of(msg.from), delete = msg.message_id,
      reason = i18n.t(msg.chat.id, "locks.reason", { kind = kind }),
    }, action)
  end
  return nil
end

local function list(msg, t)
  local values = settings.all(msg.chat.id)
  local lines = { t("locks.title") }
  for _, kind in ipairs(settings.LOCKS) do
    local action = values["lock." .. kind]
    lines[#lines + 1] = (action ~= "" and "🔒 " or "🔓 ") .. kind .. (action ~= "" and (" → " .. action) or "")
  end
  return table.concat(lines, "\n")
end

local KNOWN = {}
for _, kind in ipairs(settings.LOCKS) do KNOWN[kind] = true end

local function lock(msg, t, args, unlocking)
  local kind, action = args:match("^(%S+)%s*(.-)$")
  if not kind then return t("locks.usage", { kinds = table.concat(settings.LOCKS, ", ") }) end
  kind = kind:lower()
  if kind ~= "all" and not KNOWN[kind] then
    return t("locks.unknown", { kind = kind, kinds = table.concat(settings.LOCKS, ", ") })
  end
  if unlocking then action = "" elseif action == "" then action = "delete" end
  if not unlocking then
    local ok, why = punish.check_action(action)
    if not ok then return why end
  end
  local kinds = kind == "all" and settings.LOCKS or { kind }
  for _, name in ipairs(kinds) do
    local stored, problem = settings.set(msg.chat.id, "lock." .. name, action)
    if stored == nil then return problem end
  end
  if unlocking then return t("locks.unlocked", { kind = kind }) end
  return t("locks.locked", { kind = kind, action = action })
end

return {
  description = "Locks kinds of messages: links, forwards, stickers, scripts and more, each with an action.",
  usage = {
    "/locks: what is locked here",
    "/lock KIND [delete|warn|mute|kick|ban]: lock a kind (default: delete); /lock all",
    "/unlock KIND, /unlock all",
    "kinds: " .. table.concat(settings.LOCKS, ", "),
  },
  patterns = { "^[!/#](locks)$", "^[!/#](lock)%s+(.+)$", "^[!/#](unlock)%s+(.+)$", "^[!/#](lock)$" },
  pre_process = function(msg) return enforce(msg, false) end,
  on = {
    edited_message = function(msg)
      enforce(msg, true)
      return nil
    end,
  },
  run = function(msg, matches)
    local t = i18n.for_chat(msg.chat.id)
    if msg.chat.type == "private" then return t("common.groups_only") end
    if not is_admin(msg) then return nil end
    if matches[1] == "locks" then return list(msg, t) end
    return lock(msg, t, matches[2] or "", matches[1] == "unlock")
  end,
}
