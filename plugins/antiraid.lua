-- Anti-raid: when more than J people join within W seconds, the group goes into lockdown for a while:
-- those joins and every join until it ends are muted (until the end) or kicked, and the admins are told.
local i18n = require("i18n")
local mod = require("moderation")
local punish = require("punish")
local settings = require("settings")

local function joins_key(chat_id) return keys.chat(chat_id, "raid", "joins") end
local function lockdown_key(chat_id) return keys.chat(chat_id, "raid", "lockdown") end

local function contain(chat_id, user_id, values, ends)
  if values["antiraid.action"] == "kick" then
    bot.kick(chat_id, user_id)
  else
    bot.restrict(chat_id, user_id, punish.NO_PERMISSIONS, ends)
  end
end

local function start_lockdown(msg, values, count)
  local chat_id = msg.chat.id
  local duration = values["antiraid.duration"]
  local ends = os.time() + duration
  -- NX: of the joins that cross the line together, one starts the lockdown and the rest see it.
  if redis:set(lockdown_key(chat_id), tostring(ends), "NX", "EX", duration) ~= true then return nil end
  local t = i18n.for_chat(chat_id)
  for _, entry in ipairs(redis:zrange(joins_key(chat_id), 0, -1) or {}) do
    local user_id = math.tointeger(tonumber(entry))
    if user_id then contain(chat_id, user_id, values, ends) end
  end
  local vars = { count = count, seconds = values["antiraid.window"], action = values["antiraid.action"],
    ends = os.date("!%H:%M UTC", ends) }
  bot.send(chat_id, t("antiraid.started", vars))
  mod.log(msg.chat, { action = "lockdown", target = t("antiraid.newcomers"), reason = t("antiraid.reason", vars) })
  return ends
end

local function on_join(msg)
  if msg.service_action ~= "join" or msg.chat.type == "private" then return msg end
  local values = settings.all(msg.chat.id)
  if not values["antiraid.on"] then return msg end
  local chat_id, now = msg.chat.id, os.time()
  local lockdown = math.tointeger(tonumber(redis:get(lockdown_key(chat_id)) or ""))
  for _, member in ipairs(msg.new_chat_members or {}) do
    -- People an admin adds on purpose are not a raid.
    local added_by_admin = msg.from and msg.from.id ~= member.id and is_admin(msg)
    if not member.is_bot and not added_by_admin then
      if lockdown then
        contain(chat_id, member.id, values, lockdown)
      else
        local key = joins_key(chat_id)
        redis:zadd(key, now, tostring(member.id))
        redis:zremrangebyscore(key, "-inf", now - values["antiraid.window"])
        redis:expire(key, values["antiraid.window"] + 1)
        local count = redis:zcard(key)
        if count > values["antiraid.joins"] then lockdown = start_lockdown(msg, values, count) end
      end
    end
  end
  return msg
end

local function status(msg, t)
  local values = settings.all(msg.chat.id)
  local ends = math.tointeger(tonumber(redis:get(lockdown_key(msg.chat.id)) or ""))
  return t("antiraid.status", {
    state = t(values["antiraid.on"] and "common.on" or "common.off"), joins = values["antiraid.joins"],
    seconds = values["antiraid.window"], duration = values["antiraid.duration"], action = values["antiraid.action"],
    lockdown = ends and t("antiraid.until", { ends = os.date("!%H:%M UTC", ends) }) or t("antiraid.none"),
  })
end

local function configure(msg, t, args)
  if args == "" then return status(msg, t) end
  if args == "end" then
    -- The wave that started it is over too: counting starts again.
    redis:del(joins_key(msg.chat.id))
    if redis:del(lockdown_key(msg.chat.id)) == 0 then return t("antiraid.not_locked") end
    mod.log(msg.chat, { action = "lockdown_end", actor = msg.from, target = "-" })
    return t("antiraid.ended")
  end
  local joins, seconds = args:match("^(%d+)%s+(%d+)$")
  if joins then
    local stored, problem = settings.set(msg.chat.id, "antiraid.joins", joins)
    if stored == nil then return problem end
    stored, problem = settings.set(msg.chat.id, "antiraid.window", seconds)
    if stored == nil then return problem end
    return status(msg, t)
  end
  local name, value = args:match("^(%a+)%s+(%S+)$")
  if name == "action" or name == "duration" then
    local stored, problem = settings.set(msg.chat.id, "antiraid." .. name, value)
    if stored == nil then return problem end
    return status(msg, t)
  end
  if settings.set(msg.chat.id, "antiraid.on", args) == nil then return t("antiraid.usage") end
  return status(msg, t)
end

return {
  description = "Locks the group down when too many people join at once.",
  usage = {
    "/antiraid: settings and whether a lockdown is on",
    "/antiraid on|off",
    "/antiraid J W: more than J joins within W seconds starts a lockdown (default 10 in 10)",
    "/antiraid action mute|kick, /antiraid duration SECONDS (default mute, 600)",
    "/antiraid end: lift a lockdown now",
  },
  patterns = { "^[!/#]antiraid$", "^[!/#]antiraid%s+(.+)$" },
  pre_process = on_join,
  run = function(msg, matches)
    local t = i18n.for_chat(msg.chat.id)
    if msg.chat.type == "private" then return t("common.groups_only") end
    if not is_admin(msg) then return nil end
    return configure(msg, t, matches[1] or "")
  end,
}
