-- Flood control: more than N messages in T seconds from one user in one chat deletes the burst and
-- punishes the user once. Albums count once; admins, mods and approved users are exempt. Optionally,
-- a user who floods in K managed groups within a day is banned globally (off by default).
local gbans = require("gbans")
local i18n = require("i18n")
local punish = require("punish")
local settings = require("settings")

local KINDS = {
  photo = true, video = true, animation = true, sticker = true, document = true, audio = true, voice = true,
  video_note = true, text = true, contact = true, location = true, poll = true, dice = true,
}

local function burst_key(chat_id, user_id) return keys.chat(chat_id, "flood", tostring(user_id)) end

local function exempt_kind(values, kind)
  for name in (values["flood.exempt"] or ""):gmatch("[%w_]+") do
    if name == kind then return true end
  end
  return false
end

--- Deletes ids in chunks of 100 (deleteMessages' limit).
local function delete_all(chat_id, ids)
  for first = 1, #ids, 100 do
    bot.delete(chat_id, table.move(ids, first, math.min(first + 99, #ids), 1, {}))
  end
end

--- A user who flooded in K groups within a day is banned everywhere (K = 0: never).
local function escalate(msg, name)
  local after = math.tointeger(tonumber(redis:hget(keys.global("settings"), "flood.gban_after") or 0)) or 0
  if after <= 0 then return end
  local strikes_key = keys.global("flood_strikes", tostring(msg.from.id))
  local strikes = redis:incr(strikes_key)
  if strikes == 1 then redis:expire(strikes_key, 86400) end
  if strikes >= after and gbans.add(msg.from.id, i18n.t(nil, "flood.gban_reason", { count = strikes }), our_id) then
    punish.apply({ chat = msg.chat, user_id = msg.from.id, name = name,
      reason = i18n.t(msg.chat.id, "flood.gban_reason", { count = strikes }) }, "ban")
  end
end

local function check(msg)
  if msg.chat.type ~= "group" and msg.chat.type ~= "supergroup" then return msg end
  if msg.service or msg.old or not msg.from or msg.from.is_bot then return msg end
  local values = settings.all(msg.chat.id)
  if not values["flood.on"] or exempt_kind(values, msg.kind) then return msg end
  if is_approved(msg) then return msg end
  local chat_id, user_id = msg.chat.id, msg.from.id
  local key = burst_key(chat_id, user_id)
  -- An album arrives as several messages with one media_group_id: only its first counts.
  local counts = true
  if msg.media_group_id then
    counts = redis:set(keys.chat(chat_id, "album", msg.media_group_id), "1", "NX", "EX", 60) == true
  end
  local length = redis:rpush(key, tostring(msg.message_id) .. (counts and "" or "~"))
  if length == 1 then redis:expire(key, values["flood.time"]) end
  local counted = 0
  local ids = {}
  for _, entry in ipairs(redis:lrange(key, 0, -1) or {}) do
    ids[#ids + 1] = math.tointeger(tonumber((entry:gsub("~$", ""))))
    if not entry:find("~", 1, true) then counted = counted + 1 end
  end
  if counted <= values["flood.max"] then return msg end
  -- The window stays open: the rest of the burst lands here too, and is deleted one by one.
  if not punish.once(chat_id, user_id, "flood", math.max(values["flood.time"], 10)) then
    bot.delete(chat_id, msg.message_id)
    return nil
  end
  delete_all(chat_id, ids)
  local name = (user_print_name(msg.from):gsub("_", " "))
  local reason = i18n.t(chat_id, "flood.reason", { count = counted, seconds = values["flood.time"] })
  local action = values["flood.action"]
  if action ~= "delete" then
    punish.apply({ chat = msg.chat, user_id = user_id, name = name, reason = reason }, action)
  end
  escalate(msg, name)
  return nil
end

local function show(t, chat_id)
  local values = settings.all(chat_id)
  return t("flood.status", {
    state = t(values["flood.on"] and "common.on" or "common.off"), max = values["flood.max"],
    seconds = values["flood.time"], action = values["flood.action"],
    exempt = values["flood.exempt"] ~= "" and values["flood.exempt"] or "-",
  })
end

local function set(msg, t, name, value, done)
  local stored, problem = settings.set(msg.chat.id, name, value)
  if stored == nil then return problem end
  return t(done, { value = tostring(value) })
end

local commands = {
  setflood = function(msg, t, args) return set(msg, t, "flood.max", args, "flood.max_set") end,
  setfloodtime = function(msg, t, args) return set(msg, t, "flood.time", args, "flood.time_set") end,
  floodaction = function(msg, t, args) return set(msg, t, "flood.action", args, "flood.action_set") end,
  flood = function(msg, t, args)
    if args == "" then return show(t, msg.chat.id) end
    return set(msg, t, "flood.on", args, args == "on" and "flood.on" or "flood.off")
  end,
  floodexempt = function(msg, t, args)
    if args == "none" then
      settings.reset(msg.chat.id, "flood.exempt")
      return t("flood.exempt_none")
    end
    for kind in args:gmatch("%S+") do
      if not KINDS[kind] then return t("flood.bad_kind", { kind = kind }) end
    end
    return set(msg, t, "flood.exempt", args, "flood.exempt_set")
  end,
}

return {
  description = "Stops floods: too many messages from one user in a few seconds.",
  usage = {
    "/flood: the current flood settings",
    "/flood on|off: switch flood control on or off",
    "/setflood N: more than N messages … (2-100, default 5)",
    "/setfloodtime T: … within T seconds is a flood (1-300, default 5)",
    "/floodaction delete|warn|mute|tmute 1h|kick|ban|tban 1d: what a flooder gets (default mute)",
    "/floodexempt photo sticker …, /floodexempt none: media kinds that never count",
    "/floodgban K: ban globally whoever floods in K groups within a day; 0 = off (sudo)",
  },
  patterns = {
    "^[!/#](setflood)%s+(%S+)$", "^[!/#](setfloodtime)%s+(%S+)$", "^[!/#](floodaction)%s+(.+)$",
    "^[!/#](flood)$", "^[!/#](flood)%s+(%a+)$", "^[!/#](floodexempt)%s+(.+)$", "^[!/#](floodgban)%s+(%d+)$",
  },
  pre_process = check,
  run = function(msg, matches)
    local t = i18n.for_chat(msg.chat.type ~= "private" and msg.chat.id or nil)
    if matches[1] == "floodgban" then
      if not is_sudo(msg) then return nil end
      local count = math.tointeger(tonumber(matches[2])) or 0
      redis:hset(keys.global("settings"), "flood.gban_after", tostring(count))
      return t(count > 0 and "flood.gban_on" or "flood.gban_off", { count = count })
    end
    if msg.chat.type == "private" then return t("common.groups_only") end
    if not is_admin(msg) then return nil end
    return commands[matches[1]](msg, t, matches[2] or "")
  end,
}
