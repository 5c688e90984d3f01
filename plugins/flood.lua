-- Flood control: more than N messages within T seconds from one user in one chat is a flood. The whole
-- burst is deleted and the user punished once; the rest of the burst is only deleted. An album counts once;
-- admins, mods and approved users are exempt. Optionally, K floods within a day (in any group) bring a
-- global ban (off by default).
local gbans = require("gbans")
local i18n = require("i18n")
local mod = require("moderation")
local punish = require("punish")
local settings = require("settings")

-- msg.kind values that /floodexempt accepts ("service" and "unknown" never count anyway).
local KINDS = {}
for kind in ([[text animation photo video sticker video_note voice audio document venue location contact poll
  dice game story paid_media checklist invoice giveaway]]):gmatch("%S+") do KINDS[kind] = true end

local DAY = 86400

-- The windows live in this worker's memory, not in Redis: a chat's updates always go to the same worker, in
-- order, so its windows need no round trip. A restart or /reload forgets a few seconds of counting, nothing
-- more. By chat, then user, a window is one flat list (one table per user and chat, none per message: this
-- runs for every message): when it has nothing left inside it (its last message plus the chat's flood.time,
-- after which it is swept: a busy bot keeps only the windows of the last few seconds), the date the burst
-- was punished (or false), then date, message id and whether it counts (album parts after the first do
-- not) for each message.
local EMPTY_AT, PUNISHED, FIRST = 1, 2, 3
local windows = {}
local albums = {} -- chat:media_group_id → date its first part was seen
local next_sweep = 0

local function sweep(now)
  if now < next_sweep then return end
  next_sweep = now + 10
  for chat_id, users in pairs(windows) do
    for user_id, window in pairs(users) do
      if window[EMPTY_AT] <= now then users[user_id] = nil end
    end
    if next(users) == nil then windows[chat_id] = nil end
  end
  for id, date in pairs(albums) do
    if date <= now - 60 then albums[id] = nil end
  end
end

local function message_count(window) return (#window - FIRST + 1) // 3 end

--- Drops messages outside the window, in place; returns the ids inside it and how many of them count.
local function prune(window, since)
  local ids, counted, kept = {}, 0, FIRST - 1
  for index = FIRST, #window, 3 do
    local date, id, counts = window[index], window[index + 1], window[index + 2]
    if date > since then
      window[kept + 1], window[kept + 2], window[kept + 3] = date, id, counts
      kept = kept + 3
      ids[#ids + 1] = id
      if counts then counted = counted + 1 end
    end
  end
  for index = #window, kept + 1, -1 do window[index] = nil end
  if window[PUNISHED] and window[PUNISHED] <= since then window[PUNISHED] = false end
  return ids, counted
end

--- Notes a message in its user's window (once: a batch handled again after a Redis failure repeats it).
local function note(chat_id, user_id, msg, now, seconds)
  local id, counts = msg.message_id, true
  if msg.media_group_id then
    local album = chat_id .. ":" .. msg.media_group_id
    counts = albums[album] == nil
    albums[album] = albums[album] or now
  end
  local users = windows[chat_id]
  if not users then
    users = {}
    windows[chat_id] = users
  end
  local window = users[user_id]
  if not window then
    window = { now + seconds, false, now, id, counts }
    users[user_id] = window
    return window
  end
  if window[EMPTY_AT] < now + seconds then window[EMPTY_AT] = now + seconds end
  local last = #window
  for index = FIRST + 1, last, 3 do
    if window[index] == id then return window end
  end
  window[last + 1], window[last + 2], window[last + 3] = now, id, counts
  return window
end

-- flood.exempt ("sticker photo") → set of kinds; parsed once per distinct value, not per message.
local exempt_sets, exempt_count = {}, 0

local function exempt_kind(values, kind)
  local value = values["flood.exempt"]
  local set = exempt_sets[value]
  if not set then
    if exempt_count >= 1000 then exempt_sets, exempt_count = {}, 0 end
    set = {}
    for name in value:gmatch("[%w_]+") do set[name] = true end
    exempt_sets[value], exempt_count = set, exempt_count + 1
  end
  return set[kind] == true
end

--- Deletes ids in chunks of 100 (deleteMessages' limit).
local function delete_all(chat_id, ids)
  for first = 1, #ids, 100 do
    bot.delete(chat_id, table.move(ids, first, math.min(first + 99, #ids), 1, {}))
  end
end

--- Counts a flood towards the global ban, when sudo switched that on (flood.gban_after = K > 0).
local function escalate(msg, name)
  local after = math.tointeger(tonumber(redis:hget(keys.global("settings"), "flood.gban_after") or 0)) or 0
  if after <= 0 then return end
  local count_key = keys.global("flood_count", tostring(msg.from.id))
  local floods = redis:incr(count_key)
  if floods == 1 then redis:expire(count_key, DAY) end
  if floods < after then return end
  redis:del(count_key)
  gbans.add(msg.from.id, i18n.t(nil, "flood.gban_reason", { count = floods }), our_id)
  -- The global list keeps them out of the other groups (plugins/gban.lua); this group bans them now.
  if not settings.get(msg.chat.id, "gban.opt_out") then
    punish.apply({ chat = msg.chat, user_id = msg.from.id, name = name,
      reason = i18n.t(msg.chat.id, "flood.gban_reason", { count = floods }) }, "ban")
  end
end

local function punish_flood(msg, values, ids, counted)
  local chat_id, user_id = msg.chat.id, msg.from.id
  delete_all(chat_id, ids)
  -- Two workers may see the same burst cross the line: only one punishes.
  if not punish.once(chat_id, user_id, "flood", values["flood.time"] + 60) then return end
  local name = mod.name(msg.from)
  local reason = i18n.t(chat_id, "flood.reason", { count = counted, seconds = values["flood.time"] })
  local ctx = { chat = msg.chat, user_id = user_id, name = name, reason = reason }
  if values["flood.action"] == "delete" then
    mod.log(msg.chat, { action = "flood", target = punish.describe(ctx), reason = reason })
  else
    punish.apply(ctx, values["flood.action"])
  end
  escalate(msg, name)
end

local function check(msg)
  if msg.chat.type ~= "group" and msg.chat.type ~= "supergroup" then return msg end
  if msg.service or not msg.from or msg.from.is_bot or not msg.message_id then return msg end
  local values = settings.all(msg.chat.id)
  if not values["flood.on"] or exempt_kind(values, msg.kind) then return msg end
  local chat_id, user_id = msg.chat.id, msg.from.id
  -- Telegram's date, not ours: a backlog handled after a restart is not mistaken for a flood.
  local now = math.tointeger(msg.date) or os.time()
  sweep(now)
  local window = note(chat_id, user_id, msg, now, values["flood.time"])
  local max = values["flood.max"]
  if message_count(window) <= max then return msg end
  local ids, counted = prune(window, now - values["flood.time"])
  if counted <= max then return msg end
  if window[PUNISHED] then
    bot.delete(chat_id, msg.message_id)
    return nil
  end
  -- Roles are looked up only here, so ordinary messages never pay for them.
  if is_approved(msg) then
    windows[chat_id][user_id] = nil
    return msg
  end
  window[PUNISHED] = now
  punish_flood(msg, values, ids, counted)
  return nil
end

local function status(t, chat_id)
  local values = settings.all(chat_id)
  return t("flood.status", {
    state = t(values["flood.on"] and "common.on" or "common.off"), max = values["flood.max"],
    seconds = values["flood.time"], action = values["flood.action"],
    exempt = values["flood.exempt"] ~= "" and values["flood.exempt"] or "-",
  })
end

--- Stores a setting and answers with `done`, or with settings' reason for refusing it.
local function set(chat_id, t, name, value, done)
  local stored, problem = settings.set(chat_id, name, value)
  if stored == nil then return problem end
  return t(done, { value = tostring(stored) })
end

local function exempt(chat_id, t, args)
  if args == "" then return status(t, chat_id) end
  if args == "none" then
    settings.reset(chat_id, "flood.exempt")
    return t("flood.exempt_none")
  end
  local kinds, seen = {}, {}
  for word in args:lower():gmatch("[%w_]+") do
    -- "stickers" and "photos" mean sticker and photo.
    local kind = KINDS[word] and word or (KINDS[word:gsub("s$", "")] and word:gsub("s$", ""))
    if not kind then return t("flood.bad_kind", { kind = word }) end
    if not seen[kind] then
      seen[kind] = true
      kinds[#kinds + 1] = kind
    end
  end
  if #kinds == 0 then return t("flood.bad_kind", { kind = args }) end
  return set(chat_id, t, "flood.exempt", table.concat(kinds, " "), "flood.exempt_set")
end

local commands = {
  flood = function(chat_id, t, args)
    if args == "" then return status(t, chat_id) end
    if args ~= "on" and args ~= "off" then return t("flood.on_off") end
    return set(chat_id, t, "flood.on", args, args == "on" and "flood.on" or "flood.off")
  end,
  setflood = function(chat_id, t, args)
    if args == "" then return status(t, chat_id) end
    if args == "off" or args == "0" then return set(chat_id, t, "flood.on", "off", "flood.off") end
    local stored, problem = settings.set(chat_id, "flood.max", args)
    if stored == nil then return problem end
    -- Setting a limit means the admin wants flood control.
    settings.set(chat_id, "flood.on", "on")
    return t("flood.max_set", { value = stored })
  end,
  setfloodtime = function(chat_id, t, args)
    if args == "" then return status(t, chat_id) end
    return set(chat_id, t, "flood.time", args, "flood.time_set")
  end,
  floodaction = function(chat_id, t, args)
    if args == "" then return status(t, chat_id) end
    -- The form and, for tmute/tban, a duration Telegram honours (30s to 366d).
    local ok, why = punish.check_action(args:lower())
    if not ok then return why end
    return set(chat_id, t, "flood.action", args:lower(), "flood.action_set")
  end,
  floodexempt = exempt,
}

local function floodgban(msg, t)
  if not is_sudo(msg) then return nil end
  local field = keys.global("settings")
  if msg.args == "" then
    local count = math.tointeger(tonumber(redis:hget(field, "flood.gban_after") or 0)) or 0
    return t(count > 0 and "flood.gban_on" or "flood.gban_off", { count = count })
  end
  local count = math.tointeger(tonumber(msg.args))
  if not count or count < 0 or count > 1000 then return t("flood.gban_usage") end
  redis:hset(field, "flood.gban_after", tostring(count))
  return t(count > 0 and "flood.gban_on" or "flood.gban_off", { count = count })
end

local patterns = {}
for _, name in ipairs({ "flood", "setflood", "setfloodtime", "floodaction", "floodexempt", "floodgban" }) do
  patterns[#patterns + 1] = "^[!/#]" .. name .. "$"
  patterns[#patterns + 1] = "^[!/#]" .. name .. "%s"
end

return {
  description = "Stops floods: too many messages from one user in a few seconds.",
  usage = {
    "/flood: the current flood settings; /flood on|off",
    "/setflood N: more than N messages … is a flood (2-100, default 5); /setflood off",
    "/setfloodtime T: … within T seconds (1-300, default 5)",
    "/floodaction delete|warn|mute|tmute 1h|kick|ban|tban 1d: what a flooder gets (default mute)",
    "/floodexempt photo sticker …: media kinds that never count; /floodexempt none",
    "/floodgban K: whoever floods K times within a day is banned globally; 0 = never (sudo)",
  },
  patterns = patterns,
  pre_process = check,
  run = function(msg)
    local chat = msg.chat.type ~= "private" and msg.chat.id or nil
    local t = i18n.for_chat(chat)
    if msg.command == "floodgban" then return floodgban(msg, t) end
    if not chat then return t("common.groups_only") end
    if not is_admin(msg) then return nil end
    return commands[msg.command](chat, t, msg.args or "")
  end,
}
