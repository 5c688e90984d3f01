-- /id: the ids admins need for configuration and bug reports.
local i18n = require("i18n")

local function describe_user(user)
  local name = user.first_name or ""
  if user.last_name then name = name .. " " .. user.last_name end
  local line = name .. " — id " .. user.id
  if user.username then line = line .. " (@" .. user.username .. ")" end
  return line
end

return {
  description = "Shows the ids of you, the chat, and the user you reply to.",
  usage = { "/id: your id and the chat's", "/id (in reply): the id of that message's sender" },
  patterns = { "^[!/#]id$" },
  run = function(msg)
    local t = i18n.for_chat(msg.chat.type ~= "private" and msg.chat.id or nil)
    local lines = { t("id.you", { user = describe_user(msg.from) }) }
    if msg.chat.type ~= "private" then
      lines[#lines + 1] = t("id.chat", { title = msg.chat.title or "", id = msg.chat.id })
    end
    local replied = msg.reply_to_message
    if replied and replied.from then lines[#lines + 1] = t("id.replied", { user = describe_user(replied.from) }) end
    return table.concat(lines, "\n")
  end,
}
