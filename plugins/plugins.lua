-- /plugins and /reload: which plugins run, switching them off or on in one chat (admins) or everywhere
-- (sudo), and reloading the plugin files without a restart (sudo).
local i18n = require("i18n")

local function chat_key(chat_id) return keys.chat(chat_id, "disabled_plugins") end
local function global_key() return keys.global("disabled_plugins") end

local function set_of(key)
  local set = {}
  for _, name in ipairs(redis:smembers(key) or {}) do set[name] = true end
  return set
end

local function status(msg, t)
  local here, everywhere = set_of(chat_key(msg.chat.id)), set_of(global_key())
  local names = {}
  for name in pairs(plugins) do names[#names + 1] = name end
  table.sort(names)
  local lines = { t("plugins.title") }
  for _, name in ipairs(names) do
    local mark = everywhere[name] and t("plugins.off_everywhere") or here[name] and t("plugins.off_here") or "✔"
    lines[#lines + 1] = mark .. " " .. name
  end
  return table.concat(lines, "\n")
end

local function switch(msg, t, action, name, scope)
  if not plugins[name] then return t("plugins.unknown", { name = name }) end
  if name == "plugins" then return t("plugins.not_self") end
  local everywhere = scope ~= "here"
  if everywhere and not is_sudo(msg) then return nil end
  local key = everywhere and global_key() or chat_key(msg.chat.id)
  if action == "disable" then redis:sadd(key, name) else redis:srem(key, name) end
  local where = everywhere and "everywhere" or "here"
  return t("plugins." .. action .. "d_" .. where, { name = name })
end

return {
  description = "Lists plugins, switches them off or on per chat or everywhere, and reloads them.",
  usage = {
    "/plugins: list the plugins and their state in this chat",
    "/plugins disable NAME here, /plugins enable NAME here: switch a plugin off or on in this chat",
    "/plugins disable NAME, /plugins enable NAME: everywhere (sudo)",
    "/reload: reload the plugin files from disk (sudo)",
  },
  min_role = "admin",
  patterns = {
    "^[!/#]plugins$",
    "^[!/#]plugins%s+(enable)%s+([%w_%-]+)%s*(%a*)$",
    "^[!/#]plugins%s+(disable)%s+([%w_%-]+)%s*(%a*)$",
    "^[!/#](reload)$",
  },
  run = function(msg, matches)
    local t = i18n.for_chat(msg.chat.type ~= "private" and msg.chat.id or nil)
    if matches[1] == "reload" then
      if not is_sudo(msg) then return nil end
      reload_plugins(msg)
      return t("plugins.reloading")
    end
    if #matches == 3 then
      if matches[3] ~= "" and matches[3] ~= "here" then return t("plugins.bad_scope") end
      if matches[3] == "here" and msg.chat.type == "private" then return t("common.groups_only") end
      return switch(msg, t, matches[1], matches[2], matches[3])
    end
    return status(msg, t)
  end,
}
