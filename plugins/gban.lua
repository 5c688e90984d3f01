-- Global bans (sudo): a user banned from every group the bot manages, now and whenever they show up
-- again (on join and on message). A group can opt out with /gbanoptout on.
local gbans = require("gbans")
local i18n = require("i18n")
local mod = require("moderation")
local punish = require("punish")
local settings = require("settings")

local function managed_groups() return redis:smembers(keys.global("chats")) or {} end

local function each_group(apply)
  local count = 0
  for _, chat in ipairs(managed_groups()) do
    local chat_id = math.tointeger(tonumber(chat))
    if chat_id and not settings.get(chat_id, "gban.opt_out") then
      apply(chat_id)
      count = count + 1
    end
  end
  return count
end

local function gban(msg, t)
  local user, name, rest = mod.target(msg)
  if not user then return name end
  if user == our_id or role_in(msg.chat.id, user) == "sudo" then return t("gban.refused") end
  local reason = mod.reason(msg, rest)
  gbans.add(user, reason, msg.from.id)
  local groups = each_group(function(chat_id) bot.ban(chat_id, user) end)
  return t("gban.done", { name = name, count = groups, reason = reason })
end

local function ungban(msg, t)
  local user, name = mod.target(msg)
  if not user then return name end
  if not gbans.remove(user) then return t("gban.was_not", { name = name }) end
  local groups = each_group(function(chat_id) bot.unban(chat_id, user) end)
  return t("gban.undone", { name = name, count = groups })
end

local function list(t)
  local lines = {}
  for user, entry in pairs(gbans.all()) do lines[#lines + 1] = "• " .. user .. ": " .. (entry.reason or "") end
  if #lines == 0 then return t("gban.empty") end
  table.sort(lines)
  return t("gban.title") .. "\n" .. table.concat(lines, "\n")
end

--- Removes a globally banned sender or newcomer, once per burst, unless the group opted out.
local function enforce(msg)
  if msg.chat.type ~= "group" and msg.chat.type ~= "supergroup" then return msg end
  local suspects = msg.service_action == "join" and msg.new_chat_members or { msg.from }
  for _, user in ipairs(suspects) do
    local entry = user and gbans.get(user.id)
    if entry and not settings.get(msg.chat.id, "gban.opt_out") then
      bot.delete(msg.chat.id, msg.message_id)
      if punish.once(msg.chat.id, user.id, "gban", 60) then
        bot.ban(msg.chat.id, user.id)
        local reason = i18n.t(msg.chat.id, "gban.reason", { reason = entry.reason or "" })
        mod.log(msg.chat, { action = "gban", target = mod.name(user) .. " (" .. user.id .. ")", reason = reason })
      end
      return nil
    end
  end
  return msg
end

return {
  description = "Global bans across every group the bot manages.",
  usage = {
    "/gban (reply, id or @user) [reason]: ban from every group (sudo)",
    "/ungban (reply, id or @user): lift it (sudo)",
    "/gbanlist: globally banned users (sudo)",
    "/gbanoptout on|off: this group ignores global bans, or follows them again (owner)",
  },
  patterns = {
    "^[!/#](gban)$", "^[!/#](gban)%s", "^[!/#](ungban)$", "^[!/#](ungban)%s", "^[!/#](gbanlist)$",
    "^[!/#](gbanoptout)%s+(%a+)$",
  },
  pre_process = enforce,
  run = function(msg, matches)
    local t = i18n.for_chat(msg.chat.id)
    if matches[1] == "gbanoptout" then
      if msg.chat.type == "private" then return t("common.groups_only") end
      if not is_owner(msg) then return nil end
      local value, problem = settings.set(msg.chat.id, "gban.opt_out", matches[2])
      if value == nil then return problem end
      return t(value and "gban.opted_out" or "gban.opted_in")
    end
    if not is_sudo(msg) then return nil end
    if matches[1] == "gbanlist" then return list(t) end
    if matches[1] == "gban" then return gban(msg, t) end
    return ungban(msg, t)
  end,
}
