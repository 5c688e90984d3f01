-- The sudo console: numbers about the bot, announcements to every group, leaving a group, and sudo users
-- added at run time (stored in Redis on top of the config's sudo_users).
local i18n = require("i18n")

local function groups() return redis:smembers(keys.global("chats")) or {} end

local function stats(t)
  local loaded = 0
  for _ in pairs(plugins) do loaded = loaded + 1 end
  return t("sudo.stats", {
    groups = redis:scard(keys.global("chats")),
    users = redis:hlen(keys.global("usernames")),
    gbans = redis:hlen(keys.global("gbans")),
    plugins = loaded,
    version = VERSION,
  })
end

--- Sends to every group; the outbox keeps Telegram's limits, so a large broadcast takes its time.
local function broadcast(text, t)
  local count = 0
  for _, chat in ipairs(groups()) do
    bot.send(math.tointeger(tonumber(chat)), text)
    count = count + 1
  end
  return t("sudo.broadcast", { count = count })
end

local function leave(msg, t, chat)
  local chat_id = math.tointeger(tonumber(chat))
  if not chat_id then return t("sudo.bad_chat") end
  bot.api("leaveChat", { chat_id = chat_id }, function(ok, result)
    if ok then
      redis:srem(keys.global("chats"), tostring(chat_id))
      bot.reply(msg, t("sudo.left", { chat = chat_id }))
    else
      bot.reply(msg, t("common.failed", { what = "leave " .. chat_id, why = tostring(result.description) }))
    end
  end)
  return nil
end

local function sudo_users(msg, t, action, id)
  local key = keys.global("sudo")
  if action == nil then
    local lines = { t("sudo.list_title") }
    for _, user in ipairs(config.sudo_users) do lines[#lines + 1] = "• " .. user .. " " .. t("sudo.from_config") end
    for _, user in ipairs(redis:smembers(key) or {}) do lines[#lines + 1] = "• " .. user end
    return table.concat(lines, "\n")
  end
  local user = math.tointeger(tonumber(id))
  if not user or user <= 0 then return t("common.bad_user_id") end
  if action == "add" then
    redis:sadd(key, tostring(user))
    return t("sudo.added", { id = user })
  end
  for _, configured in ipairs(config.sudo_users) do
    if configured == user then return t("sudo.in_config", { id = user }) end
  end
  if user == msg.from.id then return t("common.not_yourself") end
  redis:srem(key, tostring(user))
  return t("sudo.removed", { id = user })
end

return {
  description = "Sudo console: statistics, broadcasts, leaving groups, sudo users.",
  usage = {
    "/stats: groups, users seen, global bans, plugins",
    "/broadcast TEXT: send TEXT to every group the bot is in",
    "/leave CHAT_ID: make the bot leave a group",
    "/sudo, /sudo add ID, /sudo remove ID: list, add or remove sudo users",
  },
  privileged = true,
  patterns = {
    "^[!/#](stats)$", "^[!/#](broadcast)%s+(.+)$", "^[!/#](leave)%s+(%S+)$", "^[!/#](sudo)$",
    "^[!/#](sudo)%s+(add)%s+(%S+)$", "^[!/#](sudo)%s+(remove)%s+(%S+)$",
  },
  run = function(msg, matches)
    local t = i18n.for_chat(msg.chat.type ~= "private" and msg.chat.id or nil)
    local command = matches[1]
    if command == "stats" then return stats(t) end
    if command == "broadcast" then return broadcast(matches[2], t) end
    if command == "leave" then return leave(msg, t, matches[2]) end
    return sudo_users(msg, t, matches[2], matches[3])
  end,
}
