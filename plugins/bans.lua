-- Bans, kicks, mutes and message removal, by reply, user id or @username, with reasons kept for /banlist
-- and /info; a banned user who comes back is removed again.
local i18n = require("i18n")
local mod = require("moderation")
local punish = require("punish")

local function bans_key(chat_id) return keys.chat(chat_id, "bans") end
local function mutes_key(chat_id) return keys.chat(chat_id, "mutes") end

local function remember(key, msg, target)
  redis:hset(key, tostring(target.user), json.encode({
    name = target.name, reason = target.reason, by = msg.from.id, date = os.time(), until_date = target.until_date or 0,
  }))
end

--- Who, for how long and why, from "/cmd USER [DURATION] [reason]"; nil and a message when unusable.
local function parse(msg, timed)
  local user, name, rest = mod.target(msg)
  if not user then return nil, name end
  local refusal = mod.protected(msg, user)
  if refusal then return nil, refusal end
  local until_date, word
  if timed then
    word, rest = mod.first_word(rest)
    local duration, problem = mod.duration(word)
    if not duration then return nil, problem end
    until_date = os.time() + duration
  end
  return { user = user, name = name, reason = mod.reason(msg, rest), until_date = until_date, duration = word }
end

--- Applies ban/tban/mute/tmute/kick through the shared punishments (announcement and log channel included).
local function act(msg, kind, timed)
  local target, problem = parse(msg, timed)
  if not target then return problem end
  local action = kind .. (timed and (" " .. target.duration) or "")
  if timed then action = "t" .. action end
  punish.apply({
    chat = msg.chat, user_id = target.user, name = target.name, reason = target.reason, actor = msg.from,
    reply = mod.report_failure(msg, kind .. " " .. target.name),
  }, action)
  if kind == "ban" then remember(bans_key(msg.chat.id), msg, target) end
  if kind == "mute" then remember(mutes_key(msg.chat.id), msg, target) end
  return nil
end

local function list_bans(msg, t)
  local lines = {}
  for user, raw in pairs(redis:hgetall(bans_key(msg.chat.id)) or {}) do
    local entry = json.decode(raw)
    lines[#lines + 1] = t("bans.list_line", { name = entry.name or user, id = user, reason = entry.reason or "" })
  end
  if #lines == 0 then return t("bans.list_empty") end
  table.sort(lines)
  return t("bans.list_title") .. "\n" .. table.concat(lines, "\n")
end

--- /purge: every message from the replied one up to the command, in batches of 100 (deleteMessages' limit).
local function purge(msg, t)
  local first = msg.reply_to_message
  if not first then return t("bans.purge_needs_reply") end
  if os.time() - (first.date or 0) > 48 * 3600 then return t("bans.purge_too_old") end
  local last = msg.message_id
  if last - first.message_id > 1000 then return t("bans.purge_too_many") end
  for from = first.message_id, last, 100 do
    local ids = {}
    for id = from, math.min(from + 99, last) do ids[#ids + 1] = id end
    bot.delete(msg.chat.id, ids, mod.report_failure(msg, t("bans.purge_what")))
  end
  mod.log(msg.chat, { action = "purge", actor = msg.from, target = (last - first.message_id + 1) .. " messages",
    reason = mod.reason(msg, msg.args) })
  return nil
end

--- /info: who a user is here: role, warnings, ban and mute records.
local function info(msg, t)
  local user, name = mod.target_or_self(msg)
  if not user then return name end
  local lines = {
    t("bans.info_user", { name = name, id = user }), t("bans.info_role", { role = role_in(msg.chat.id, user) }),
  }
  local warns = punish.warnings(msg.chat.id, user)
  lines[#lines + 1] = t("bans.info_warns", { count = warns })
  for _, record in ipairs({ { bans_key, "bans.info_banned" }, { mutes_key, "bans.info_muted" } }) do
    local raw = redis:hget(record[1](msg.chat.id), tostring(user))
    if raw then
      local entry = json.decode(raw)
      lines[#lines + 1] = t(record[2], { reason = entry.reason or "", date = os.date("!%Y-%m-%d", entry.date or 0) })
    end
  end
  local gban = require("gbans").get(user)
  if gban then lines[#lines + 1] = t("bans.info_gbanned", { reason = gban.reason or "" }) end
  return table.concat(lines, "\n")
end

local commands = {
  ban = function(msg) return act(msg, "ban") end,
  tban = function(msg) return act(msg, "ban", true) end,
  mute = function(msg) return act(msg, "mute") end,
  tmute = function(msg) return act(msg, "mute", true) end,
  kick = function(msg) return act(msg, "kick") end,
  unban = function(msg, t)
    local user, name = mod.target(msg)
    if not user then return name end
    bot.unban(msg.chat.id, user, mod.report_failure(msg, "unban " .. name))
    redis:hdel(bans_key(msg.chat.id), tostring(user))
    mod.log(msg.chat, { action = "unban", actor = msg.from, target = name .. " (" .. user .. ")" })
    return t("bans.unbanned", { name = name })
  end,
  unmute = function(msg, t)
    local user, name = mod.target(msg)
    if not user then return name end
    bot.restrict(msg.chat.id, user, punish.ALL_PERMISSIONS, nil, mod.report_failure(msg, "unmute " .. name))
    redis:hdel(mutes_key(msg.chat.id), tostring(user))
    mod.log(msg.chat, { action = "unmute", actor = msg.from, target = name .. " (" .. user .. ")" })
    return t("bans.unmuted", { name = name })
  end,
  banlist = list_bans,
  del = function(msg, t)
    if not msg.reply_to_message then return t("bans.del_needs_reply") end
    bot.delete(msg.chat.id, { msg.reply_to_message.message_id, msg.message_id }, mod.report_failure(msg, "delete"))
    return nil
  end,
  purge = purge,
  info = info,
}

--- A banned user back in the group (unbanned by hand in Telegram, say) is removed again.
local function remove_returning(msg)
  if msg.service_action ~= "join" then return msg end
  for _, member in ipairs(msg.new_chat_members or {}) do
    local raw = redis:hget(bans_key(msg.chat.id), tostring(member.id))
    local entry = raw and json.decode(raw)
    if entry and (entry.until_date == 0 or entry.until_date > os.time()) then
      bot.ban(msg.chat.id, member.id, entry.until_date ~= 0 and entry.until_date or nil)
      mod.log(msg.chat, { action = "ban", target = mod.name(member) .. " (" .. member.id .. ")",
        reason = i18n.t(msg.chat.id, "bans.returning", { reason = entry.reason or "" }) })
    end
  end
  return msg
end

return {
  description = "Bans, kicks and mutes members, for a while or for good, and removes messages.",
  usage = {
    "/ban (reply, id or @user) [reason]: ban for good",
    "/tban (reply, id or @user) 2h [reason]: ban for a while (30s to 366d: s, m, h, d, w)",
    "/unban (reply, id or @user)",
    "/kick (reply, id or @user) [reason]: remove; they may rejoin",
    "/mute, /tmute 30m, /unmute: take away or give back the right to write",
    "/banlist: who is banned and why",
    "/del (reply): delete that message",
    "/purge (reply): delete every message from that one on",
    "/info [user]: role, warnings, bans and mutes of a user",
    "/kickme: leave the group",
  },
  patterns = {
    "^[!/#](kickme)$",
    "^[!/#](ban)$", "^[!/#](ban)%s", "^[!/#](tban)%s", "^[!/#](unban)$", "^[!/#](unban)%s",
    "^[!/#](kick)$", "^[!/#](kick)%s", "^[!/#](mute)$", "^[!/#](mute)%s", "^[!/#](tmute)%s",
    "^[!/#](unmute)$", "^[!/#](unmute)%s", "^[!/#](banlist)$", "^[!/#](del)$", "^[!/#](purge)$", "^[!/#](purge)%s",
    "^[!/#](info)$", "^[!/#](info)%s",
  },
  pre_process = remove_returning,
  run = function(msg, matches)
    local t = i18n.for_chat(msg.chat.id)
    if msg.chat.type == "private" then return t("common.groups_only") end
    if matches[1] == "kickme" then
      if is_admin(msg) then return t("bans.kickme_admin") end
      -- Posted as a channel, msg.from is Telegram's placeholder (Channel_Bot): nobody to remove.
      if msg.sender_chat then return t("bans.kickme_as_chat") end
      bot.kick(msg.chat.id, msg.from.id, mod.report_failure(msg, "kick you"))
      return t("bans.kickme_bye", { name = mod.name(msg.from) })
    end
    if matches[1] == "info" then
      if not is_mod(msg) and (msg.args or "") ~= "" then return nil end
      return info(msg, t)
    end
    if not is_admin(msg) then return nil end -- members issuing admin commands change nothing
    return commands[matches[1]](msg, t)
  end,
}
