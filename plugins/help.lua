-- /help: what each plugin does and how to use it, from the plugins' own declarations.
local i18n = require("i18n")

local function list_all(t)
  local names = {}
  for name, info in pairs(plugins) do
    if info.description then names[#names + 1] = name end
  end
  table.sort(names)
  local lines = { t("help.title") }
  for _, name in ipairs(names) do
    lines[#lines + 1] = "• " .. name .. ": " .. plugins[name].description
  end
  return table.concat(lines, "\n")
end

local function usage_of(t, name)
  local info = plugins[name]
  if not info then return t("help.unknown", { name = name }) end
  if #info.usage == 0 then return name .. ": " .. (info.description or t("help.no_usage")) end
  return name .. ":\n" .. table.concat(info.usage, "\n")
end

return {
  description = "Lists the plugins and shows how to use them.",
  usage = { "/help: list the plugins", "/help NAME: show a plugin's commands" },
  patterns = { "^[!/#]help$", "^[!/#]help%s+([%w_%-]+)$" },
  run = function(msg, matches)
    local t = i18n.for_chat(msg.chat.type ~= "private" and msg.chat.id or nil)
    if msg.args and msg.args ~= "" then return usage_of(t, matches[1]) end
    return list_all(t)
  end,
}
