-- Bans, kicks and mutes, by reply, user id or @username, with reasons kept for /banlist.
local mod = require("moderation")

local NO_PERMISSIONS = {
  can_send_messages = false, can_send_audios = false, can_send_documents = false, can_send_photos = false,
  can_send_videos = false, can_send_video_notes = false, can_send_voice_notes = false, can_send_polls = false,
  can_send_other_messages = false, can_add_web_page_previews = false,
}
-- Telegram lifts a restriction only when every permission is granted; the chat's defaults then apply.
local ALL_PERMISSIONS = {
  can_react_to_messages = true, can_edit_tag = true, can_change_info = true, can_invite_users = true,
  can_pin_messages = true, can_manage_topics = true,
}
for name in pairs(NO_PERMISSIONS) do ALL_PERMISSIONS[name] = true end

local function bans_key(chat_id) return keys.chat(chat_id, "bans") end

local function remember_ban(msg, user_id, name, reason, until_date)
  redis:hset(bans_key(msg.chat.id), tostring(user_id), json.encode({
    name = name, reason = reason, by = msg.from.id, date = os.time(), until_date = until_date or 0,
  }))
end

--- Who, for how long and why, from "/cmd USER [DURATION] [reason]"; nil and a message when unusable.
local function parse(msg, timed)
  local user, name, rest = mod.target(msg)
  if not user then return nil, name end
  local refusal = mod.protected(msg, user)
  if refusal then return nil, refusal end
  local until_date
  if timed then
    local word
    word, rest = mod.first_word(rest)
    local duration, problem = mod.duration(word)
    if not duration then return nil, problem end
    until_date = os.time() + duration
  end
  return { user = user, name = name, reason = mod.reason(msg, rest), until_date = until_date }
end

local function ban(msg, timed)
  local target, problem = parse(msg, timed)
  if not target then return problem end
  bot.ban(msg.chat.id, target.user, target.until_date, mod.report_failure(msg, "ban " .. target.name))
  remember_ban(msg, target.user, target.name, target.reason, target.until_date)
  if target.until_date then
    return "Banned " .. target.name .. " until " .. os.date("!%Y-%m-%d %H:%M UTC", target.until_date) .. ": "
      .. target.reason
  end
  return "Banned " .. target.name .. ": " .. target.reason
end

local function mute(msg, timed)
  local target, problem = parse(msg, timed)
  if not target then return problem end
  local report = mod.report_failure(msg, "mute " .. target.name)
  bot.restrict(msg.chat.id, target.user, NO_PERMISSIONS, target.until_date, report)
  return "Muted " .. target.name .. ": " .. target.reason
end

local commands = {
  ban = function(msg) return ban(msg) end,
  tban = function(msg) return ban(msg, true) end,
  mute = function(msg) return mute(msg) end,
  tmute = function(msg) return mute(msg, true) end,
  unban = function(msg)
    local user, name = mod.target(msg)
    if not user then return name end
    bot.unban(msg.chat.id, user, mod.report_failure(msg, "unban " .. name))
    redis:hdel(bans_key(msg.chat.id), tostring(user))
    return "Unbanned " .. name .. "."
  end,
  unmute = function(msg)
    local user, name = mod.target(msg)
    if not user then return name end
    bot.restrict(msg.chat.id, user, ALL_PERMISSIONS, nil, mod.report_failure(msg, "unmute " .. name))
    return "Unmuted " .. name .. "."
  end,
  kick = function(msg)
    local user, name, rest = mod.target(msg)
    if not user then return name end
    local refusal = mod.protected(msg, user)
    if refusal then return refusal end
    bot.kick(msg.chat.id, user, mod.report_failure(msg, "kick " .. name))
    return "Kicked " .. name .. ": " .. mod.reason(msg, rest)
  end,
  banlist = function(msg)
    local entries = redis:hgetall(bans_key(msg.chat.id))
    local lines = {}
    for user, raw in pairs(entries) do
      local entry = json.decode(raw)
      lines[#lines + 1] = "• " .. (entry.name or user) .. " (" .. user .. "): " .. (entry.reason or "")
    end
    if #lines == 0 then return "Nobody is banned here." end
    table.sort(lines)
    return "Banned here:\n" .. table.concat(lines, "\n")
  end,
}

local function kickme(msg)
  if is_admin(msg) then return "Admins cannot kick themselves." end
  bot.kick(msg.chat.id, msg.from.id, mod.report_failure(msg, "kick you"))
  return "Bye, " .. (user_print_name(msg.from):gsub("_", " ")) .. "."
end

return {
  description = "Bans, kicks and mutes members, for a while or for good.",
  usage = {
    "/ban (reply, id or @user) [reason]: ban for good",
    "/tban (reply, id or @user) 2h [reason]: ban for a while (30s to 366d: s, m, h, d, w)",
    "/unban (reply, id or @user)",
    "/kick (reply, id or @user) [reason]: remove; they may rejoin",
    "/mute, /tmute 30m, /unmute: take away or give back the right to write",
    "/banlist: who is banned and why",
    "/kickme: leave the group",
  },
  patterns = {
    "^[!/#](kickme)$",
    "^[!/#](ban)$", "^[!/#](ban)%s", "^[!/#](tban)%s", "^[!/#](unban)$", "^[!/#](unban)%s",
    "^[!/#](kick)$", "^[!/#](kick)%s", "^[!/#](mute)$", "^[!/#](mute)%s", "^[!/#](tmute)%s",
    "^[!/#](unmute)$", "^[!/#](unmute)%s", "^[!/#](banlist)$",
  },
  run = function(msg, matches)
    if msg.chat.type == "private" then return "This works in groups." end
    if matches[1] == "kickme" then return kickme(msg) end
    if not is_admin(msg) then return nil end -- members issuing admin commands change nothing
    return commands[matches[1]](msg)
  end,
}
