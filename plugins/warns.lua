-- Warnings: /warn by admins and mods, a limit per chat, and the chat's action at the limit (the count
-- starts again). Counting lives in plugins/lib/punish.lua, so locks and filters can warn too; the
-- "remove warn" button on each warning is handled here.
local i18n = require("i18n")
local mod = require("moderation")
local punish = require("punish")
local settings = require("settings")

local function show(msg, t)
  local user, name = mod.target_or_self(msg)
  if not user then return name end
  if user ~= msg.from.id and not is_mod(msg) then return nil end
  local count, reasons = punish.warnings(msg.chat.id, user)
  local limit = settings.get(msg.chat.id, "warn.limit")
  if count == 0 then return t("warns.none", { name = name }) end
  local lines = { t("warns.count", { name = name, count = count, limit = limit }) }
  for index, reason in ipairs(reasons) do lines[#lines + 1] = index .. ". " .. reason end
  return table.concat(lines, "\n")
end

local function warn(msg)
  local user, name, rest = mod.target(msg)
  if not user then return name end
  local refusal = mod.protected(msg, user)
  if refusal then return refusal end
  punish.apply({
    chat = msg.chat, user_id = user, name = name, reason = mod.reason(msg, rest), actor = msg.from,
    reply = mod.report_failure(msg, "punish " .. name),
  }, "warn")
  return nil
end

local commands = {
  warn = warn,
  unwarn = function(msg, t)
    local user, name = mod.target(msg)
    if not user then return name end
    local left = punish.unwarn(msg.chat.id, user)
    if not left then return t("warns.none", { name = name }) end
    mod.log(msg.chat, { action = "unwarn", actor = msg.from, target = name .. " (" .. user .. ")" })
    return t("warns.removed", { name = name, count = left, limit = settings.get(msg.chat.id, "warn.limit") })
  end,
  resetwarns = function(msg, t)
    local user, name = mod.target(msg)
    if not user then return name end
    punish.reset_warnings(msg.chat.id, user)
    mod.log(msg.chat, { action = "resetwarns", actor = msg.from, target = name .. " (" .. user .. ")" })
    return t("warns.reset", { name = name })
  end,
  setwarn = function(msg, t)
    local stored, problem = settings.set(msg.chat.id, "warn.limit", msg.args)
    if stored == nil then return problem end
    return t("warns.limit_set", { limit = stored })
  end,
  warnaction = function(msg, t)
    local ok, why = punish.check_action(msg.args)
    if not ok then return why end
    local stored, problem = settings.set(msg.chat.id, "warn.action", msg.args)
    if stored == nil then return problem end
    return t("warns.action_set", { action = stored })
  end,
}

--- "warns:remove:<user>": an admin or mod takes one warning back from the warning message itself.
local function on_button(query)
  local user = query.data and query.data:match("^warns:remove:(%d+)$")
  if not user or not query.message then return end
  local chat_id = query.message.chat.id
  local t = i18n.for_chat(chat_id)
  local role = role_in(chat_id, query.from.id)
  if role ~= "mod" and role ~= "admin" and role ~= "owner" and role ~= "sudo" then
    bot.answer_callback(query.id, t("warns.button_refused"), { show_alert = true })
    return
  end
  local left = punish.unwarn(chat_id, math.tointeger(tonumber(user)))
  local by = (user_print_name(query.from):gsub("_", " "))
  bot.answer_callback(query.id, left and t("warns.button_done") or t("warns.button_nothing"))
  if left then
    bot.edit(chat_id, query.message.message_id, t("warns.removed_by", { by = by, count = left }))
    mod.log(query.message.chat, { action = "unwarn", actor = query.from, target = user })
  end
end

return {
  description = "Warnings with a limit; at the limit the chat's action runs.",
  usage = {
    "/warn (reply, id or @user) [reason]: warn (admins and mods)",
    "/unwarn, /resetwarns (reply, id or @user): take one back, or all",
    "/warns [user]: warnings and their reasons (members see their own)",
    "/setwarn N: warnings before the action (1-100, default 3)",
    "/warnaction mute|tmute 1h|kick|ban|tban 1d: the action at the limit (default ban)",
  },
  patterns = {
    "^[!/#](warn)$", "^[!/#](warn)%s", "^[!/#](unwarn)$", "^[!/#](unwarn)%s", "^[!/#](resetwarns)$",
    "^[!/#](resetwarns)%s", "^[!/#](warns)$", "^[!/#](warns)%s", "^[!/#](setwarn)%s", "^[!/#](warnaction)%s",
  },
  on = { callback_query = on_button },
  run = function(msg, matches)
    local t = i18n.for_chat(msg.chat.id)
    if msg.chat.type == "private" then return t("common.groups_only") end
    if matches[1] == "warns" then return show(msg, t) end
    local needs_admin = matches[1] == "setwarn" or matches[1] == "warnaction"
    if needs_admin and not is_admin(msg) or not is_mod(msg) then return nil end
    return commands[matches[1]](msg, t)
  end,
}
