-- Anti-raid: when more than J people join within W seconds, the group is locked down for a while. In mute
-- mode only admins can post until it ends: one setChatPermissions for the whole group, however many
-- accounts the raid brings, and the group's own permissions come back when it is over. In kick mode the
-- wave and everyone joining until the end are kicked. The chat and the log channel are told once, and
-- again when it is over. People and bots an admin adds never count.
local i18n = require("i18n")
local mod = require("moderation")
local punish = require("punish")
local settings = require("settings")

local function joins_key(chat_id) return keys.chat(chat_id, "raid", "joins") end
-- The lockdown's end (a Unix time) with a TTL of its duration; plugins/captcha.lua reads it too.
local function lockdown_key(chat_id) return keys.chat(chat_id, "raid", "lockdown") end
-- Every lockdown's end, so cron can say when one is over (member: chat id, score: end).
local function ends_key() return keys.global("raid_lockdowns") end

-- The group's permissions from before a mute-mode lockdown, as JSON, to give back when it ends.
local function saved_permissions_key(chat_id) return keys.chat(chat_id, "raid", "permissions") end

-- What a group gets back when its own permissions could not be read: Telegram's defaults for members.
local MEMBER_DEFAULTS = {
  can_change_info = false, can_invite_users = true, can_pin_messages = false, can_manage_topics = false,
}
for name in pairs(punish.NO_PERMISSIONS) do MEMBER_DEFAULTS[name] = true end

local function clock(t, ends) return t("antiraid.clock", { time = os.date("!%H:%M", ends) }) end

local function lockdown_end(chat_id)
  return math.tointeger(tonumber(redis:get(lockdown_key(chat_id)) or ""))
end

--- Kick mode: each account of the wave, and each later joiner, is kicked. Mute mode needs nothing per
--- account: the group itself is read-only for members.
local function contain(chat_id, user_id, values)
  if values["antiraid.action"] == "kick" then bot.kick(chat_id, user_id) end
end

--- Mute mode: the group's own permissions are kept, then members may send nothing until the lockdown
--- ends. The lock waits for getChat's answer, so what is kept is never the lockdown's own permissions.
local function lock_chat(chat_id, duration)
  bot.api("getChat", { chat_id = chat_id }, function(ok, chat)
    if not redis:exists(lockdown_key(chat_id)) then return end -- lifted meanwhile
    local saved = ok and type(chat) == "table" and chat.permissions or MEMBER_DEFAULTS
    -- NX: a lockdown started again before the last one gave the group back keeps the group's own.
    redis:set(saved_permissions_key(chat_id), json.encode(saved), "NX", "EX", duration + 86400)
    bot.api("setChatPermissions", { chat_id = chat_id, permissions = punish.NO_PERMISSIONS,
      use_independent_chat_permissions = true })
  end)
end

--- Gives the group back the permissions it had before a mute-mode lockdown.
local function unlock_chat(chat_id)
  local raw = redis:get(saved_permissions_key(chat_id))
  if not raw then return end
  redis:del(saved_permissions_key(chat_id))
  local ok, saved = pcall(json.decode, raw)
  bot.api("setChatPermissions", { chat_id = chat_id, permissions = ok and saved or MEMBER_DEFAULTS,
    use_independent_chat_permissions = true })
end

local function start_lockdown(msg, values, count)
  local chat_id = msg.chat.id
  local duration = values["antiraid.duration"]
  local ends = os.time() + duration
  -- NX: of the joins that cross the line together, one starts the lockdown and the rest see it.
  if redis:set(lockdown_key(chat_id), tostring(ends), "NX", "EX", duration) ~= true then
    return lockdown_end(chat_id) or ends, false
  end
  redis:zadd(ends_key(), ends, tostring(chat_id))
  if values["antiraid.action"] == "mute" then
    lock_chat(chat_id, duration)
  else
    for _, entry in ipairs(redis:zrange(joins_key(chat_id), 0, -1) or {}) do
      local user_id = math.tointeger(tonumber(entry))
      if user_id then contain(chat_id, user_id, values) end
    end
  end
  -- This wave is dealt with; once the lockdown is over, counting starts afresh.
  redis:del(joins_key(chat_id))
  local t = i18n.for_chat(chat_id)
  local vars = { count = count, seconds = values["antiraid.window"], ends = clock(t, ends),
    action = t("antiraid.action_" .. values["antiraid.action"]) }
  bot.send(chat_id, t("antiraid.started", vars))
  mod.log(msg.chat, { action = "lockdown", target = t("antiraid.newcomers"), reason = t("antiraid.reason", vars) })
  return ends, true
end

local function on_join(msg)
  if msg.service_action ~= "join" or (msg.chat.type ~= "group" and msg.chat.type ~= "supergroup") then
    return msg
  end
  local values = settings.all(msg.chat.id)
  if not values["antiraid.on"] then return msg end
  local chat_id, now = msg.chat.id, os.time()
  local lockdown = lockdown_end(chat_id)
  local key = joins_key(chat_id)
  for _, member in ipairs(msg.new_chat_members or {}) do
    -- Whoever an admin adds, person or bot, is there on purpose; a bot is not someone to contain.
    local added_by_admin = msg.from and msg.from.id ~= member.id and is_admin(msg)
    if not added_by_admin and member.id ~= our_id then
      if lockdown then
        contain(chat_id, member.id, values)
      else
        redis:zadd(key, now, tostring(member.id))
        redis:zremrangebyscore(key, "-inf", now - values["antiraid.window"])
        redis:expire(key, values["antiraid.window"] + 1)
        local count = redis:zcard(key)
        if count > values["antiraid.joins"] then
          local started
          lockdown, started = start_lockdown(msg, values, count)
          -- Another worker started it, maybe before this join was listed: contain this one here.
          if not started then contain(chat_id, member.id, values) end
        end
      end
    end
  end
  return msg
end

--- Every two seconds: a lockdown whose time is up is announced as over.
local function announce_ends()
  -- A second late: the key's TTL runs out up to a second after the whole-second end.
  for _, chat in ipairs(redis:zrangebyscore(ends_key(), "-inf", os.time() - 1) or {}) do
    local chat_id = math.tointeger(tonumber(chat))
    -- The chat's own worker announces it; ZREM claims it, so a second bot process does not (a lockdown
    -- lifted by hand is no longer listed).
    if chat_id and shard.owns(chat_id) and not redis:exists(lockdown_key(chat_id))
      and redis:zrem(ends_key(), chat) == 1 then
      unlock_chat(chat_id)
      bot.send(chat_id, i18n.t(chat_id, "antiraid.over"))
      mod.log({ id = chat_id }, { action = "lockdown_end", target = i18n.t(chat_id, "antiraid.newcomers"),
        reason = i18n.t(chat_id, "antiraid.over_reason") })
    end
  end
end

local function status(chat_id, t)
  local values = settings.all(chat_id)
  local ends = lockdown_end(chat_id)
  return t("antiraid.status", {
    state = t(values["antiraid.on"] and "common.on" or "common.off"), joins = values["antiraid.joins"],
    seconds = values["antiraid.window"], duration = values["antiraid.duration"],
    action = t("antiraid.action_" .. values["antiraid.action"]),
    lockdown = ends and t("antiraid.until", { ends = clock(t, ends) }) or t("antiraid.none"),
  })
end

local function lift(msg, t)
  local chat_id = msg.chat.id
  local ends = lockdown_end(chat_id)
  -- The wave that started it is over too: counting starts afresh.
  redis:del(joins_key(chat_id))
  redis:zrem(ends_key(), tostring(chat_id))
  unlock_chat(chat_id)
  if redis:del(lockdown_key(chat_id)) == 0 or not ends then return t("antiraid.not_locked") end
  mod.log(msg.chat, { action = "lockdown_end", actor = msg.from, target = t("antiraid.newcomers"),
    reason = mod.reason(msg) })
  return t("antiraid.ended")
end

--- Stores settings together: all of them, or none when one is refused (then the reason).
local function set_all(chat_id, pairs_)
  local stored_key, before = keys.chat(chat_id, "settings"), {}
  for index, pair in ipairs(pairs_) do before[index] = redis:hget(stored_key, pair[1]) end
  for _, pair in ipairs(pairs_) do
    local stored, problem = settings.set(chat_id, pair[1], pair[2])
    if stored == nil then
      for index, undo in ipairs(pairs_) do
        if before[index] then settings.set(chat_id, undo[1], before[index]) else settings.reset(chat_id, undo[1]) end
      end
      return problem
    end
  end
  return nil
end

local function configure(msg, t, args)
  local chat_id = msg.chat.id
  if args == "" then return status(chat_id, t) end
  if args == "end" then return lift(msg, t) end
  local problem
  local joins, seconds = args:match("^(%d+)%s+(%d+)$")
  local name, value = args:match("^(%a+)%s+(%S+)$")
  if joins then
    problem = set_all(chat_id, { { "antiraid.joins", joins }, { "antiraid.window", seconds } })
  elseif name == "action" or name == "duration" then
    problem = set_all(chat_id, { { "antiraid." .. name, value:lower() } })
  elseif args == "on" or args == "off" then
    problem = set_all(chat_id, { { "antiraid.on", args } })
  else
    return t("antiraid.usage")
  end
  return problem or status(chat_id, t)
end

return {
  description = "Locks the group down when too many people join at once.",
  usage = {
    "/antiraid: the settings, and whether a lockdown is on",
    "/antiraid on|off (default on)",
    "/antiraid J W: more than J joins within W seconds starts a lockdown (default 10 in 10)",
    "/antiraid action mute|kick, /antiraid duration SECONDS: only admins post (mute) or newcomers are kicked, "
      .. "for how long (mute, 600)",
    "/antiraid end: lift a lockdown now",
  },
  patterns = { "^[!/#](antiraid)$", "^[!/#](antiraid)%s+(.+)$" },
  pre_process = on_join,
  cron = announce_ends,
  cron_interval = 2,
  cron_per_shard = true,
  run = function(msg, matches)
    local t = i18n.for_chat(msg.chat.type ~= "private" and msg.chat.id or nil)
    if msg.chat.type == "private" then return t("common.groups_only") end
    if not is_admin(msg) then return nil end
    return configure(msg, t, (msg.args or matches[2] or ""):lower())
  end,
}
