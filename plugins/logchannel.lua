-- /setlog: a channel (or group) where every moderation action of this chat is posted, with who did what
-- to whom and why (plugins/lib/moderation.lua's mod.log writes there).
local i18n = require("i18n")
local settings = require("settings")

--- The chat to log to: a forwarded channel post replied to (or this message being one), or an id.
local function log_chat_of(msg)
  for _, candidate in ipairs({ msg.reply_to_message or {}, msg }) do
    local origin = candidate.forward_origin
    if origin and origin.type == "channel" and origin.chat then return origin.chat.id, origin.chat.title end
  end
  local id = (msg.args or ""):match("^(%-?%d+)$")
  return id and math.tointeger(tonumber(id)) or nil
end

local function set_log(msg, t)
  local log_chat, title = log_chat_of(msg)
  if not log_chat then return t("logchannel.how") end
  local shown = title or tostring(log_chat)
  -- Checked by posting: Telegram answers whether the bot may write there.
  bot.send(log_chat, t("logchannel.hello", { chat = msg.chat.title or tostring(msg.chat.id) }), nil,
    function(ok, result)
      if ok then
        settings.set(msg.chat.id, "log.chat", log_chat)
        bot.reply(msg, t("logchannel.set", { log = shown }))
      else
        bot.reply(msg, t("logchannel.cannot_post", { log = shown, why = tostring(result.description) }))
      end
    end)
  return nil
end

return {
  description = "Posts every moderation action of the chat to a log channel.",
  usage = {
    "/setlog (in reply to a post forwarded from the channel) or /setlog CHANNEL_ID: log here (admins)",
    "/unsetlog: stop logging",
    "/log: where this chat logs",
  },
  min_role = "admin",
  patterns = { "^[!/#](setlog)$", "^[!/#](setlog)%s", "^[!/#](unsetlog)$", "^[!/#](log)$" },
  run = function(msg, matches)
    local t = i18n.for_chat(msg.chat.id)
    if msg.chat.type == "private" then return t("common.groups_only") end
    if matches[1] == "setlog" then return set_log(msg, t) end
    if matches[1] == "unsetlog" then
      settings.reset(msg.chat.id, "log.chat")
      return t("logchannel.unset")
    end
    local current = settings.get(msg.chat.id, "log.chat")
    if current == 0 then return t("logchannel.none") end
    return t("logchannel.current", { log = current })
  end,
}
