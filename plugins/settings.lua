-- /settings: every setting of the group in one message, with buttons for admins to switch locks and flood
-- control in place; /lang: the group's language.
local i18n = require("i18n")
local settings = require("settings")

local CYCLE = { "", "delete", "warn", "mute", "kick", "ban" }

local function next_action(current)
  for index, action in ipairs(CYCLE) do
    if action == current then return CYCLE[index % #CYCLE + 1] end
  end
  return ""
end

local function onoff(t, value) return t(value and "common.on" or "common.off") end

local function summary(chat_id, t)
  local v = settings.all(chat_id)
  local locked = {}
  for _, kind in ipairs(settings.LOCKS) do
    if v["lock." .. kind] ~= "" then locked[#locked + 1] = kind .. " → " .. v["lock." .. kind] end
  end
  return t("settings.summary", {
    flood = onoff(t, v["flood.on"]), flood_max = v["flood.max"], flood_time = v["flood.time"],
    flood_action = v["flood.action"], flood_exempt = v["flood.exempt"] ~= "" and v["flood.exempt"] or "-",
    warn_limit = v["warn.limit"], warn_action = v["warn.action"],
    welcome = onoff(t, v["welcome.on"]), captcha = onoff(t, v["captcha.on"]), captcha_mode = v["captcha.mode"],
    captcha_time = v["captcha.time"], antiraid = onoff(t, v["antiraid.on"]), raid_joins = v["antiraid.joins"],
    raid_window = v["antiraid.window"], raid_duration = v["antiraid.duration"], raid_action = v["antiraid.action"],
    log = v["log.chat"] ~= 0 and tostring(v["log.chat"]) or "-", lang = v["lang"], reports = onoff(t, v["reports.on"]),
    gban = t(v["gban.opt_out"] and "settings.gban_ignored" or "settings.gban_followed"),
    locks = #locked > 0 and table.concat(locked, ", ") or "-",
  })
end

local function keyboard(chat_id, t)
  local v = settings.all(chat_id)
  local rows = {
    {
      {
        text = t("settings.flood_button", { state = onoff(t, v["flood.on"]) }),
        callback_data = "settings:flood:toggle",
      },
      { text = "− " .. v["flood.max"], callback_data = "settings:flood:less" },
      { text = "+ " .. v["flood.max"], callback_data = "settings:flood:more" },
    },
  }
  local row = {}
  for _, kind in ipairs(settings.LOCKS) do
    local action = v["lock." .. kind]
    row[#row + 1] = {
      text = (action ~= "" and "🔒 " or "🔓 ") .. kind .. (action ~= "" and (" " .. action) or ""),
      callback_data = "settings:lock:" .. kind,
    }
    if #row == 3 then
      rows[#rows + 1] = row
      row = {}
    end
  end
  if #row > 0 then rows[#rows + 1] = row end
  return { inline_keyboard = rows }
end

--- Applies one button press; returns what to tell the presser.
local function press(chat_id, t, what, arg)
  if what == "lock" then
    local current = settings.get(chat_id, "lock." .. arg)
    local action = next_action(current)
    settings.set(chat_id, "lock." .. arg, action)
    return action == "" and t("locks.unlocked", { kind = arg }) or t("locks.locked", { kind = arg, action = action })
  end
  if arg == "toggle" then
    local on = settings.set(chat_id, "flood.on", not settings.get(chat_id, "flood.on"))
    return t(on and "flood.on" or "flood.off")
  end
  local max = settings.get(chat_id, "flood.max") + (arg == "more" and 1 or -1)
  local stored, problem = settings.set(chat_id, "flood.max", max)
  if stored == nil then return problem end
  return t("flood.max_set", { value = stored })
end

local KNOWN_LOCKS = {}
for _, kind in ipairs(settings.LOCKS) do KNOWN_LOCKS[kind] = true end

local function on_button(query)
  local what, arg = (query.data or ""):match("^settings:(%a+):([%w_]+)$")
  if not what or not query.message then return end
  if what ~= "flood" and not (what == "lock" and KNOWN_LOCKS[arg]) then return end
  local chat_id = query.message.chat.id
  local t = i18n.for_chat(chat_id)
  local role = role_in(chat_id, query.from.id)
  if role ~= "admin" and role ~= "owner" and role ~= "sudo" then
    bot.answer_callback(query.id, t("settings.refused"), { show_alert = true })
    return
  end
  bot.answer_callback(query.id, press(chat_id, t, what, arg))
  bot.edit(chat_id, query.message.message_id, summary(chat_id, t), { reply_markup = keyboard(chat_id, t) })
end

local function language(msg, t, code)
  if code == "" then
    return t("settings.lang_current", { lang = settings.get(msg.chat.id, "lang") })
  end
  if not is_admin(msg) then return nil end
  code = code:lower()
  if not i18n.strings(code) then return t("settings.lang_missing", { lang = code }) end
  settings.set(msg.chat.id, "lang", code)
  return i18n.t(msg.chat.id, "settings.lang_set", { lang = code })
end

return {
  description = "Shows every setting of the group, with buttons to switch locks and flood control.",
  usage = {
    "/settings: all settings, with buttons (admins)",
    "/lang: the group's language; /lang CODE: switch (admins; a translation is plugins/lang/CODE.lua)",
  },
  patterns = { "^[!/#](settings)$", "^[!/#](lang)$", "^[!/#](lang)%s+(%S+)$" },
  on = { callback_query = on_button },
  run = function(msg, matches)
    local t = i18n.for_chat(msg.chat.id)
    if msg.chat.type == "private" then return t("common.groups_only") end
    if matches[1] == "lang" then return language(msg, t, matches[2] or "") end
    if not is_admin(msg) then return nil end
    bot.send(msg.chat.id, summary(msg.chat.id, t), { reply_markup = keyboard(msg.chat.id, t) })
    return nil
  end,
}
