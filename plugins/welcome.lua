-- Welcome messages for people who join (with placeholders), the group's rules and about text. The previous
-- welcome is deleted when a new one goes out, so the chat does not fill up with greetings.
local i18n = require("i18n")
local mod = require("moderation")
local settings = require("settings")

local function html(text)
  return (tostring(text):gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"))
end

--- The welcome text with {first}, {last}, {mention}, {username}, {chat} filled in (HTML-safe).
local function render(template, user, chat)
  local first = html(user.first_name or "")
  local values = {
    first = first, last = html(user.last_name or ""), chat = html(chat.title or ""),
    username = user.username and ("@" .. user.username) or first,
    mention = '<a href="tg://user?id=' .. user.id .. '">' .. first .. "</a>",
  }
  return (html(template):gsub("{(%a+)}", function(name) return values[name] end))
end

local function last_key(chat_id) return keys.chat(chat_id, "welcome", "last") end

local function greet(msg)
  if msg.service_action ~= "join" then return msg end
  local values = settings.all(msg.chat.id)
  if not values["welcome.on"] then return msg end
  local people = {}
  for _, member in ipairs(msg.new_chat_members or {}) do
    if not member.is_bot then people[#people + 1] = member end
  end
  if #people == 0 then return msg end
  local t = i18n.for_chat(msg.chat.id)
  local template = values["welcome.text"] ~= "" and values["welcome.text"] or t("welcome.default")
  local chat_id = msg.chat.id
  for _, member in ipairs(people) do
    bot.send(chat_id, render(template, member, msg.chat), { parse_mode = "HTML" }, function(ok, result)
      if not ok or not values["welcome.clean"] then return end
      local previous = redis:getset(last_key(chat_id), tostring(result.message_id))
      if previous then bot.delete(chat_id, math.tointeger(tonumber(previous))) end
    end)
  end
  return msg
end

-- Longest welcome, rules and about text: shown with a title, they must stay under Telegram's 4096 characters.
local MAX_TEXT = 3000

--- Stores a text setting, or says why not.
local function store_text(msg, t, name, text)
  if (utf8.len(text) or #text) > MAX_TEXT then return nil, t("welcome.too_long", { max = MAX_TEXT }) end
  settings.set(msg.chat.id, name, text)
  return true
end

local function text_setting(msg, t, name, shown_key, empty_key)
  local text = settings.get(msg.chat.id, name)
  if text == "" then return t(empty_key) end
  return t(shown_key) .. "\n\n" .. text
end

local admin_commands = {
  setwelcome = function(msg, t)
    if msg.args == "" then return t("welcome.usage") end
    local stored, problem = store_text(msg, t, "welcome.text", msg.args)
    if not stored then return problem end
    settings.set(msg.chat.id, "welcome.on", true)
    -- Placeholders grow when filled in: the preview is cut to fit one message.
    return t("welcome.saved") .. "\n\n" .. mod.clip(render(msg.args, msg.from, msg.chat), MAX_TEXT)
  end,
  resetwelcome = function(msg, t)
    settings.reset(msg.chat.id, "welcome.text")
    return t("welcome.reset")
  end,
  welcome = function(msg, t)
    if msg.args == "" then
      local on = settings.get(msg.chat.id, "welcome.on")
      local text = settings.get(msg.chat.id, "welcome.text")
      return t("welcome.state", { state = t(on and "common.on" or "common.off") }) .. "\n\n"
        .. (text ~= "" and text or t("welcome.default"))
    end
    local stored, problem = settings.set(msg.chat.id, "welcome.on", msg.args)
    if stored == nil then return problem end
    return t(stored and "welcome.turned_on" or "welcome.turned_off")
  end,
  setrules = function(msg, t)
    local stored, problem = store_text(msg, t, "rules.text", msg.args)
    if not stored then return problem end
    return t("welcome.rules_saved")
  end,
  clearrules = function(msg, t)
    settings.reset(msg.chat.id, "rules.text")
    return t("welcome.rules_cleared")
  end,
  setabout = function(msg, t)
    local stored, problem = store_text(msg, t, "about.text", msg.args)
    if not stored then return problem end
    return t("welcome.about_saved")
  end,
}

return {
  description = "Welcomes newcomers and keeps the group's rules and about text.",
  usage = {
    "/setwelcome TEXT: the welcome ({first}, {last}, {mention}, {username}, {chat}); turns welcomes on",
    "/welcome on|off, /welcome: switch welcomes, or show the current one; /resetwelcome: back to the default",
    "/setrules TEXT, /clearrules, /rules: the group's rules (anyone can read them)",
    "/setabout TEXT, /about: what the group is about",
  },
  patterns = {
    "^[!/#](setwelcome)$", "^[!/#](setwelcome)%s", "^[!/#](resetwelcome)$", "^[!/#](welcome)$",
    "^[!/#](welcome)%s", "^[!/#](setrules)%s", "^[!/#](clearrules)$", "^[!/#](rules)$", "^[!/#](setabout)%s",
    "^[!/#](about)$",
  },
  pre_process = greet,
  run = function(msg, matches)
    local t = i18n.for_chat(msg.chat.id)
    if msg.chat.type == "private" then return t("common.groups_only") end
    local command = matches[1]
    if command == "rules" then return text_setting(msg, t, "rules.text", "welcome.rules_title", "welcome.no_rules") end
    if command == "about" then return text_setting(msg, t, "about.text", "welcome.about_title", "welcome.no_about") end
    if not is_admin(msg) then return nil end
    return admin_commands[command](msg, t)
  end,
}
