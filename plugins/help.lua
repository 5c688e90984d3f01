-- /help: what each plugin does and how to use it, from the plugins' own declarations.
local function list_all()
  local names = {}
  for name, info in pairs(plugins) do
    if info.description then names[#names + 1] = name end
  end
  table.sort(names)
  local lines = { "Plugins (/help NAME for usage):" }
  for _, name in ipairs(names) do
    lines[#lines + 1] = "• " .. name .. ": " .. plugins[name].description
  end
  return table.concat(lines, "\n")
end

local function usage_of(name)
  local info = plugins[name]
  if not info then return "No plugin called " .. name .. "." end
  if #info.usage == 0 then return name .. ": " .. (info.description or "no usage given") end
  return name .. ":\n" .. table.concat(info.usage, "\n")
end

return {
  description = "Lists the plugins and shows how to use them.",
  usage = { "/help: list the plugins", "/help NAME: show a plugin's commands" },
  patterns = { "^[!/#]help$", "^[!/#]help%s+([%w_%-]+)$" },
  run = function(msg, matches)
    if msg.args and msg.args ~= "" then return usage_of(matches[1]) end
    return list_all()
  end,
}
