-- Shared helpers for moderation plugins: targets, durations, reasons, admin checks.
local M = {}

local units = { s = 1, m = 60, h = 3600, d = 86400, w = 604800 }

--- Seconds in "30s", "30m", "2h", "7d", "1w"; nil and an error for anything else.
-- Telegram treats restrictions under 30 s or over 366 days as permanent, so those are refused.
function M.duration(text)
  local amount, unit = tostring(text or ""):match("^(%d+)([smhdw])$")
  if not amount then return nil, "give a duration like 30m, 2h or 7d" end
  local seconds = tonumber(amount) * units[unit]
  if seconds < 30 or seconds > 366 * 86400 then return nil, "a duration must be between 30s and 366d" end
  return seconds
end

--- Splits "a b c" into the first word and the rest.
local function first_word(text)
  local word, rest = (text or ""):match("^%s*(%S+)%s*(.-)%s*$")
  return word, rest or ""
end
M.first_word = first_word

--- The user a command is about: the replied-to message's sender, else the first argument
-- (a numeric id or an @username the bot has seen). Returns user_id, display name, rest of the arguments;
-- or nil and a message.
function M.target(msg)
  local args = msg.args or ""
  local replied = msg.reply_to_message
  if replied and replied.from and not replied.from.is_bot then
    return replied.from.id, user_print_name(replied.from):gsub("_", " "), args
  end
  local word, rest = first_word(args)
  if not word then return nil, "reply to a message, or give a user id or @username" end
  if word:match("^%d+$") then
    local id = math.tointeger(tonumber(word))
    if not id or id <= 0 then return nil, "that is not a user id" end
    return id, tostring(id), rest
  end
  if word:match("^@[%w_]+$") then
    local ok, id = pcall(resolve_user, word)
    if not ok then return nil, "I have not seen " .. word .. " yet: reply to one of their messages instead" end
    return id, word, rest
  end
  return nil, "reply to a message, or give a user id or @username"
end

--- Refuses to act on the bot itself, on the sender, or on admins; returns an error message or nil.
function M.protected(msg, user_id)
  if user_id == our_id then return "I will not do that to myself." end
  if user_id == msg.from.id then return "You cannot do that to yourself." end
  local role = role_in(msg.chat.id, user_id)
  if role == "admin" or role == "owner" or role == "sudo" then return "I will not do that to an admin." end
  return nil
end

--- The reason given, or a default that says who acted.
function M.reason(msg, text)
  if text and text:match("%S") then return (text:gsub("^%s+", ""):gsub("%s+$", "")) end
  return "by " .. (user_print_name(msg.from):gsub("_", " "))
end

--- A callback that tells the chat when Telegram refused an action (a missing right, say).
function M.report_failure(msg, what)
  return function(ok, result)
    if not ok then bot.reply(msg, "I could not " .. what .. ": " .. tostring(result.description)) end
  end
end

return M
