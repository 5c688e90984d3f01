-- User-facing text in the chat's language. Strings live in plugins/lang/<code>.lua (one file per
-- language, keys "area.name"); a string missing from a translation falls back to English, and one
-- missing from English shows its key, so a gap in a translation never breaks a command.
local settings = require("settings")

local M = {}
local english = require("lang.en")
local loaded = { en = english }

--- The strings of a language, or nil when plugins/lang/<code>.lua does not exist or does not load.
function M.strings(code)
  if loaded[code] == nil then
    local ok, strings = false, nil
    if type(code) == "string" and (code:match("^%a%a%a?$") or code:match("^%a%a_%a%a$")) then
      ok, strings = pcall(require, "lang." .. code)
    end
    loaded[code] = ok and type(strings) == "table" and strings or false
  end
  return loaded[code] or nil
end

--- `{name}` in text replaced by vars.name; unknown placeholders stay as they are.
function M.format(text, vars)
  if not vars then return text end
  return (text:gsub("{([%w_]+)}", function(name)
    local value = vars[name]
    if value == nil then return nil end
    return tostring(value)
  end))
end

--- A function (key, vars) → text bound to one chat, reading its language once.
function M.for_chat(chat_id)
  local code = chat_id and settings.get(chat_id, "lang") or "en"
  local strings = M.strings(code) or english
  return function(key, vars)
    local text = strings[key] or english[key]
    if not text then
      log.warn("no text for " .. key)
      text = key
    end
    return M.format(text, vars)
  end
end

--- The text for key in the chat's language (nil chat: English).
function M.t(chat_id, key, vars) return M.for_chat(chat_id)(key, vars) end

return M
