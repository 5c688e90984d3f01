-- Bot-level roles in one chat: moderators (/promote, /demote by the owner) and approved users, who skip
-- the automatic checks (/approve, /unapprove by admins). Telegram admins come from Telegram itself.
local i18n = require("i18n")
local mod = require("moderation")

local sets = {
  mods = { members = "mods", names = "mod_names" },
  approved = { members = "approved", names = "approved_names" },
}

local function add(chat_id, set, user, name)
  redis:sadd(keys.chat(chat_id, set.members), tostring(user))
  redis:hset(keys.chat(chat_id, set.names), tostring(user), name)
end

local function remove(chat_id, set, user)
  redis:hdel(keys.chat(chat_id, set.names), tostring(user))
  return redis:srem(keys.chat(chat_id, set.members), tostring(user)) == 1
end

local function list(chat_id, set)
  local names = redis:hgetall(keys.chat(chat_id, set.names)) or {}
  local lines = {}
  for _, user in ipairs(redis:smembers(keys.chat(chat_id, set.members)) or {}) do
    lines[#lines + 1] = "• " .. (names[user] or user) .. " (" .. user .. ")"
  end
  table.sort(lines)
  return lines
end

--- /promote, /demote, /approve, /unapprove share this: a target, a role check, one set.
local function change(msg, t, set, adding, done_key)
  local user, name = mod.target(msg)
  if not user then return name end
  if user == our_id then return t("common.not_myself") end
  local role = role_in(msg.chat.id, user)
  if adding and (role == "admin" or role == "owner" or role == "sudo") then
    return t("roles.already_admin", { name = name })
  end
  if adding then
    add(msg.chat.id, set, user, name)
  elseif not remove(msg.chat.id, set, user) then
    return t("roles.was_not", { name = name })
  end
  mod.log(msg.chat, { action = done_key, actor = msg.from, target = name .. " (" .. user .. ")" })
  return t("roles." .. done_key, { name = name })
end

local function modlist(msg, t)
  local lines = { t("roles.admins_title") }
  local admins = redis:hgetall(keys.chat(msg.chat.id, "admins")) or {}
  local users = {}
  for user in pairs(admins) do
    if user ~= tostring(our_id) then users[#users + 1] = user end
  end
  local names = user_names(users)  -- one round trip for all of them
  local ids = {}
  for _, user in ipairs(users) do
    local name = names[tonumber(user)] or user
    ids[#ids + 1] = name .. " (" .. user .. ")" .. (admins[user] == "creator" and " ★" or "")
  end
  table.sort(ids)
  for _, line in ipairs(ids) do lines[#lines + 1] = "• " .. line end
  lines[#lines + 1] = t("roles.mods_title")
  local mods = list(msg.chat.id, sets.mods)
  if #mods == 0 then mods = { t("roles.none") } end
  for _, line in ipairs(mods) do lines[#lines + 1] = line end
  return table.concat(lines, "\n")
end

local commands = {
  promote = { role = "owner", run = function(msg, t) return change(msg, t, sets.mods, true, "promoted") end },
  demote = { role = "owner", run = function(msg, t) return change(msg, t, sets.mods, false, "demoted") end },
  approve = { role = "admin", run = function(msg, t) return change(msg, t, sets.approved, true, "approved") end },
  unapprove = {
    role = "admin", run = function(msg, t) return change(msg, t, sets.approved, false, "unapproved") end,
  },
  modlist = { role = "member", run = modlist },
  approved = {
    role = "mod",
    run = function(msg, t)
      local lines = list(msg.chat.id, sets.approved)
      if #lines == 0 then return t("roles.nobody_approved") end
      return t("roles.approved_title") .. "\n" .. table.concat(lines, "\n")
    end,
  },
}

local allowed = { member = function() return true end, mod = is_mod, admin = is_admin, owner = is_owner }

return {
  description = "Moderators and approved users of a chat.",
  usage = {
    "/promote (reply, id or @user): make a bot moderator here (owner)",
    "/demote (reply, id or @user): take it back (owner)",
    "/modlist: the chat's admins and moderators",
    "/approve, /unapprove (reply, id or @user): approved users skip flood, locks and filters (admins)",
    "/approved: who is approved (moderators)",
  },
  patterns = {
    "^[!/#](promote)$", "^[!/#](promote)%s", "^[!/#](demote)$", "^[!/#](demote)%s", "^[!/#](modlist)$",
    "^[!/#](approve)$", "^[!/#](approve)%s", "^[!/#](unapprove)$", "^[!/#](unapprove)%s", "^[!/#](approved)$",
  },
  run = function(msg, matches)
    local t = i18n.for_chat(msg.chat.id)
    if msg.chat.type == "private" then return t("common.groups_only") end
    local command = commands[matches[1]]
    if not allowed[command.role](msg) then return nil end
    return command.run(msg, t)
  end,
}
