-- Shared helpers for moderation commands: targets, durations, reasons, admin checks, the log channel.
local i18n = require("i18n")
local settings = require("settings")

local M = {}

local units = { s = 1, m = 60, h = 3600, d = 86400, w = 604800 }

M.MIN_DURATION, M.MAX_DURATION = 30, 366 * 86400

--- Seconds in "30s", "30m", "2h", "7d", "1w"; nil and an error for anything else.
-- Telegram treats restrictions under 30 s or over 366 days as permanent, so those are refused.
function M.duration(text)
  local amount, unit = tostring(text or ""):match("^(%d+)([smhdw])$")
  if not amount then return nil, "give a duration like 30m, 2h or 7d" end
  local seconds = #amount <= 9 and tonumber(amount) * units[unit] or math.huge
  if seconds < M.MIN_DURATION or seconds > M.MAX_DURATION then
    return nil, "a duration must be between 30s and 366d"
  end
  return seconds
end

--- Like M.duration, but a well-formed duration out of range is brought into it (5s → 30 s, 9999d → 366 d):
-- for actions stored before durations were checked. Returns seconds and how to show them; nil when malformed.
function M.clamped_duration(text)
  local seconds = M.duration(text)
  if seconds then return seconds, text end
  local amount, unit = tostring(text or ""):match("^(%d+)([smhdw])$")
  if not amount then return nil end
  if #amount <= 9 and tonumber(amount) * units[unit] < M.MIN_DURATION then return M.MIN_DURATION, "30s" end
  return M.MAX_DURATION, "366d"
end

M.MAX_REASON = 300

--- At most `max` characters of text (UTF-8 aware; bytes when it is not valid UTF-8), "…" marking a cut:
-- user text repeated in a reply must leave it under Telegram's 4096 characters.
function M.clip(text, max)
  text = tostring(text or "")
  local length = utf8.len(text)
  if length then
    if length <= max then return text end
    return text:sub(1, utf8.offset(text, max + 1) - 1) .. "…"
  end
  if #text <= max then return text end
  return text:sub(1, max) .. "…"
end

--- Splits "a b c" into the first word and the rest.
local function first_word(text)
  local word, rest = (text or ""):match("^%s*(%S+)%s*(.-)%s*$")
  return word, rest or ""
end
M.first_word = first_word

--- A user's name for messages: "First Last".
function M.name(user)
  if not user then return "?" end
  return (user_print_name(user):gsub("_", " "))
end

--- The user a command is about: the replied-to message's sender, else the first argument
-- (a numeric id or an @username the bot has seen). Returns user_id, display name, rest of the arguments;
-- or nil and a message.
function M.target(msg)
  local t = i18n.for_chat(msg.chat.id)
  local args = msg.args or ""
  local replied = msg.reply_to_message
  if replied and replied.from and not replied.from.is_bot then
    return replied.from.id, M.name(replied.from), args
  end
  local word, rest = first_word(args)
  if not word then return nil, t("common.need_target") end
  if word:match("^%d+$") then
    local id = math.tointeger(tonumber(word))
    if not id or id <= 0 then return nil, t("common.bad_user_id") end
    return id, user_name(id) or tostring(id), rest
  end
  if word:match("^@[%w_]+$") then
    local ok, id = pcall(resolve_user, word)
    if not ok then return nil, t("common.unseen_username", { username = word }) end
    return id, user_name(id) or word, rest
  end
  return nil, t("common.need_target")
end

--- Like M.target, but with no argument and no reply the sender themselves (/info, /warns).
-- Returns user_id, name; or nil and a message when an argument was given but is unusable.
function M.target_or_self(msg)
  local user, name = M.target(msg)
  if user then return user, name end
  if (msg.args or "") ~= "" then return nil, name end
  return msg.from.id, M.name(msg.from)
end

--- Refuses to act on the bot itself, on the sender, or on admins; returns an error message or nil.
function M.protected(msg, user_id)
  local t = i18n.for_chat(msg.chat.id)
  if user_id == our_id then return t("common.not_myself") end
  if msg.from and user_id == msg.from.id then return t("common.not_yourself") end
  local role = role_in(msg.chat.id, user_id)
  if role == "admin" or role == "owner" or role == "sudo" then return t("common.not_admin") end
  return nil
end

--- The reason given, or a default that says who acted.
function M.reason(msg, text)
  if text and text:match("%S") then
    return M.clip((text:gsub("^%s+", ""):gsub("%s+$", "")), M.MAX_REASON)
  end
  return i18n.t(msg.chat.id, "common.by", { name = M.name(msg.from) })
end

--- A callback that tells the chat when Telegram refused an action (a missing right, say).
function M.report_failure(msg, what)
  return function(ok, result)
    if not ok then
      bot.reply(msg, i18n.t(msg.chat.id, "common.failed", { what = what, why = tostring(result.description) }))
    end
  end
end

--- Posts an action to the chat's log channel, if it has one: who did what to whom and why.
-- entry = { action = "ban", actor = user table (nil: automatic), target = "name (id)", reason = "…" }
function M.log(chat, entry)
  local log_chat = settings.get(chat.id, "log.chat")
  if log_chat == 0 then return end
  local t = i18n.for_chat(chat.id)
  local actor = entry.actor and (M.name(entry.actor) .. " (" .. entry.actor.id .. ")") or t("log.automatic")
  bot.send(log_chat, t("log.entry", {
    action = entry.action, chat = (chat.title or tostring(chat.id)), actor = actor,
    target = entry.target or "-", reason = entry.reason or "-",
  }), { link_preview_options = { is_disabled = true } })
end

return M
