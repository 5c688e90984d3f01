-- Reports: /report (or @admin, @admins) in reply to a message tells the admins privately, with a link to
-- the message, and posts to the log channel. Each message is reported once.
local i18n = require("i18n")
local mod = require("moderation")
local settings = require("settings")

--- A link admins can open: t.me/<username>/<id> for public groups, t.me/c/<id>/<msg> for private supergroups.
local function link_to(chat, message_id)
  if chat.username then return "https://t.me/" .. chat.username .. "/" .. message_id end
  local internal = tostring(chat.id):match("^%-100(%d+)$")
  if internal then return "https://t.me/c/" .. internal .. "/" .. message_id end
  return nil
end

local function report(msg, t, reason)
  if not settings.get(msg.chat.id, "reports.on") then return nil end
  local reported = msg.reply_to_message
  if not reported or not reported.from then return t("reports.needs_reply") end
  local target = reported.from
  if target.id == msg.from.id then return t("reports.self") end
  local role = role_in(msg.chat.id, target.id)
  -- Posted as the group itself: an anonymous admin behind Telegram's placeholder sender.
  local anonymous_admin = reported.sender_chat ~= nil and reported.sender_chat.id == msg.chat.id
  if anonymous_admin or role == "admin" or role == "owner" or role == "sudo" or target.id == our_id then
    return t("reports.admin")
  end
  if redis:set(keys.chat(msg.chat.id, "reported", tostring(reported.message_id)), "1", "NX", "EX", 172800) ~= true then
    return t("reports.already")
  end
  local vars = {
    reporter = mod.name(msg.from), target = mod.name(target), target_id = target.id,
    chat = msg.chat.title or tostring(msg.chat.id), reason = reason ~= "" and mod.clip(reason, mod.MAX_REASON) or "-",
    link = link_to(msg.chat, reported.message_id) or "-",
  }
  local text = t("reports.private", vars)
  bot.api("getChatAdministrators", { chat_id = msg.chat.id }, function(ok, admins)
    if not ok then return end
    for _, admin in ipairs(admins) do
      -- Admins who never started a chat with the bot cannot be messaged; Telegram says so and that is fine.
      if not admin.user.is_bot then bot.send(admin.user.id, text, { link_preview_options = { is_disabled = true } }) end
    end
  end)
  mod.log(msg.chat, { action = "report", actor = msg.from, target = vars.target .. " (" .. target.id .. ")",
    reason = vars.reason .. " " .. vars.link })
  return t("reports.sent", vars)
end

return {
  description = "Lets members report a message to the admins.",
  usage = {
    "/report [reason] (in reply), or @admin in reply: tell the admins, with a link to the message",
    "/reports on|off: allow reports or not (admins)",
  },
  patterns = { "^[!/#](report)$", "^[!/#](report)%s+(.+)$", "^[!/#](reports)%s+(%a+)$", "(@admins?)%f[%W]" },
  run = function(msg, matches)
    local t = i18n.for_chat(msg.chat.id)
    if msg.chat.type == "private" then return t("common.groups_only") end
    if matches[1] == "reports" then
      if not is_admin(msg) then return nil end
      local stored, problem = settings.set(msg.chat.id, "reports.on", matches[2])
      if stored == nil then return problem end
      return t(stored and "reports.on" or "reports.off")
    end
    if matches[1]:sub(1, 1) == "@" then
      if not msg.reply_to_message then return nil end -- "@admin" in passing is not a report
      return report(msg, t, (msg.text or ""):gsub("@admins?", ""):gsub("^%s+", ""):gsub("%s+$", ""))
    end
    return report(msg, t, matches[2] or "")
  end,
}
