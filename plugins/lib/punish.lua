-- Punishments shared by commands and automatic checks (flood, locks, blocklist, warns): one action
-- ("delete", "warn", "mute", "tmute 30m", "kick", "ban", "tban 1d") applied to one user with a reason,
-- announced in the chat and posted to the log channel.
local i18n = require("i18n")
local mod = require("moderation")
local settings = require("settings")

local M = {}

M.NO_PERMISSIONS = {
  can_send_messages = false, can_send_audios = false, can_send_documents = false, can_send_photos = false,
  can_send_videos = false, can_send_video_notes = false, can_send_voice_notes = false, can_send_polls = false,
  can_send_other_messages = false, can_add_web_page_previews = false,
}
-- Telegram lifts a restriction only when every permission is granted; the chat's defaults then apply.
M.ALL_PERMISSIONS = {
  can_react_to_messages = true, can_edit_tag = true, can_change_info = true, can_invite_users = true,
  can_pin_messages = true, can_manage_topics = true,
}
for name in pairs(M.NO_PERMISSIONS) do M.ALL_PERMISSIONS[name] = true end

--- Runs `first` once per (chat, user, what) within `seconds`: true the first time, false after.
-- Keeps a burst of triggers (ten flood messages handled at once) from punishing ten times.
function M.once(chat_id, user_id, what, seconds)
  return redis:set(keys.chat(chat_id, "once", what, tostring(user_id)), "1", "NX", "EX", seconds or 60) == true
end

local function warns_key(chat_id) return keys.chat(chat_id, "warns") end
local function reasons_key(chat_id, user_id) return keys.chat(chat_id, "warn_reasons", tostring(user_id)) end

--- Warnings a user has in a chat, and their reasons (oldest first).
function M.warnings(chat_id, user_id)
  local replies = redis:pipeline({
    { "hget", warns_key(chat_id), tostring(user_id) },
    { "lrange", reasons_key(chat_id, user_id), 0, -1 },
  })
  return math.tointeger(tonumber(replies[1] or 0)) or 0, replies[2] or {}
end

--- Forgets a user's warnings.
function M.reset_warnings(chat_id, user_id)
  redis:pipeline({ { "hdel", warns_key(chat_id), tostring(user_id) }, { "del", reasons_key(chat_id, user_id) } })
end

--- Takes back the newest warning; returns the count left, or nil when there was none.
function M.unwarn(chat_id, user_id)
  local count = M.warnings(chat_id, user_id)
  if count == 0 then return nil end
  if count == 1 then
    M.reset_warnings(chat_id, user_id)
    return 0
  end
  redis:pipeline({
    { "hset", warns_key(chat_id), tostring(user_id), tostring(count - 1) },
    { "rpop", reasons_key(chat_id, user_id) },
  })
  return count - 1
end

--- Whether an action may be stored for later (a lock's, a filter's, the warn limit's): settings' form check,
-- and for tmute/tban a duration Telegram honours (30s to 366d). Returns true, or nil and why.
function M.check_action(action)
  local ok, why = settings.valid_action(action)
  if not ok then return nil, why end
  local duration = tostring(action):match("^t%a+%s+(%S+)$")
  if duration then
    local seconds, problem = mod.duration(duration)
    if not seconds then return nil, problem end
  end
  return true
end

local apply

--- "Name (id)" of a punishment's target, for the log channel.
function M.describe(ctx) return ctx.name .. " (" .. tostring(ctx.user_id) .. ")" end

--- Adds a warning; at the chat's limit runs its warn action and starts the count again.
local function warn(ctx, t)
  local chat_id, user = ctx.chat.id, tostring(ctx.user_id)
  local count = redis:pipeline({
    { "hincrby", warns_key(chat_id), user, 1 },
    { "rpush", reasons_key(chat_id, ctx.user_id), ctx.reason },
    { "ltrim", reasons_key(chat_id, ctx.user_id), -100, -1 },
  })[1]
  local limit = settings.get(chat_id, "warn.limit")
  mod.log(ctx.chat, { action = "warn", actor = ctx.actor, target = M.describe(ctx), reason = ctx.reason })
  if count >= limit then
    M.reset_warnings(chat_id, ctx.user_id)
    local reason = t("punish.limit_reached", { name = ctx.name, limit = limit }) .. " " .. ctx.reason
    return apply({
      chat = ctx.chat, user_id = ctx.user_id, name = ctx.name, reason = reason, actor = ctx.actor, reply = ctx.reply,
    }, settings.get(chat_id, "warn.action"))
  end
  local text = t("punish.warned", { name = ctx.name, count = count, limit = limit, reason = ctx.reason })
  local button = { text = t("punish.remove_warn"), callback_data = "warns:remove:" .. user }
  local keyboard = { inline_keyboard = { { button } } }
  bot.send(chat_id, text, { reply_markup = keyboard })
  return count
end

--- Applies `action` to ctx.user_id in ctx.chat. ctx = { chat = msg.chat, user_id, name, reason,
-- actor = user who acted (nil: automatic), delete = message id or list to delete first,
-- silent = true to skip the announcement in the chat, reply = callback(ok, result) for refusals }.
apply = function(ctx, action)
  local chat_id = ctx.chat.id
  local t = i18n.for_chat(chat_id)
  if ctx.delete then bot.delete(chat_id, ctx.delete) end
  local kind, duration_text = tostring(action):match("^(%a+)%s*(.-)$")
  local seconds
  if duration_text ~= "" then
    -- An action stored with an out-of-range duration stays temporary (Telegram would make it permanent).
    seconds, duration_text = mod.clamped_duration(duration_text)
    if not seconds then
      log.warn("action with a malformed duration: " .. tostring(action))
      return nil
    end
  elseif kind == "tmute" or kind == "tban" then
    log.warn("timed action without a duration: " .. tostring(action))
    return nil
  end
  local until_date = seconds and os.time() + seconds or nil
  local vars = { name = ctx.name, reason = ctx.reason, duration = duration_text }
  local announcement
  if kind == "delete" then
    return true
  elseif kind == "warn" then
    return warn(ctx, t)
  elseif kind == "mute" or kind == "tmute" then
    bot.restrict(chat_id, ctx.user_id, M.NO_PERMISSIONS, until_date, ctx.reply)
    announcement = t(until_date and "punish.tmuted" or "punish.muted", vars)
  elseif kind == "kick" then
    bot.kick(chat_id, ctx.user_id, ctx.reply)
    announcement = t("punish.kicked", vars)
  elseif kind == "ban" or kind == "tban" then
    bot.ban(chat_id, ctx.user_id, until_date, ctx.reply)
    announcement = t(until_date and "punish.tbanned" or "punish.banned", vars)
  else
    log.warn("unknown action " .. tostring(action))
    return nil
  end
  mod.log(ctx.chat, { action = kind, actor = ctx.actor, target = M.describe(ctx), reason = ctx.reason })
  if not ctx.silent then bot.send(chat_id, announcement) end
  return true
end
M.apply = apply

return M
