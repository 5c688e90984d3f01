-- /plugins: which plugins run, and switching them off or on in one chat.
local function disabled_key(chat_id) return keys.chat(chat_id, "disabled_plugins") end

local function status(msg)
  local off = {}
  for _, name in ipairs(redis:smembers(disabled_key(msg.chat.id)) or {}) do off[name] = true end
  local names = {}
  for name in pairs(plugins) do names[#names + 1] = name end
  table.sort(names)
  local lines = { "Plugins here:" }
  for _, name in ipairs(names) do
    lines[#lines + 1] = (off[name] and "✖ " or "✔ ") .. name
  end
  return table.concat(lines, "\n")
end

local function switch(msg, action, name)
  if not plugins[name] then return "No plugin called " .. name .. "." end
  if name == "plugins" then return "The plugins plugin cannot switch itself off." end
  if action == "disable" then
    redis:sadd(disabled_key(msg.chat.id), name)
    return name .. " is disabled in this chat."
  end
  redis:srem(disabled_key(msg.chat.id), name)
  return name .. " is enabled in this chat."
end

return {
  description = "Lists plugins and enables or disables them per chat.",
  usage = {
    "/plugins: list the plugins and their state in this chat",
    "/plugins disable NAME here: switch a plugin off in this chat",
    "/plugins enable NAME here: switch it back on",
  },
  min_role = "admin",
  patterns = {
    "^[!/#]plugins$",
    "^[!/#]plugins%s+(enable)%s+([%w_%-]+)%s+here$",
    "^[!/#]plugins%s+(disable)%s+([%w_%-]+)%s+here$",
  },
  run = function(msg, matches)
    if #matches == 2 then return switch(msg, matches[1], matches[2]) end
    return status(msg)
  end,
}
