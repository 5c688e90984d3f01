-- The global ban list: users banned from every group the bot manages (sudo /gban, flood escalation).
-- One Redis hash, user id → JSON { reason, by, date }; plugins/gban.lua enforces it on join and message.
local M = {}

local function key() return keys.global("gbans") end

--- Adds a user; true when they were not banned yet.
function M.add(user_id, reason, by_id)
  local entry = json.encode({ reason = reason or "", by = by_id or 0, date = os.time() })
  return redis:hset(key(), tostring(user_id), entry) == 1
end

--- Removes a user; true when they were banned.
function M.remove(user_id) return redis:hdel(key(), tostring(user_id)) == 1 end

--- The entry of a banned user ({ reason, by, date }), or nil.
function M.get(user_id)
  local raw = redis:hget(key(), tostring(user_id))
  return raw and json.decode(raw) or nil
end

--- Every entry, as user id (string) → entry.
function M.all()
  local entries = {}
  for user, raw in pairs(redis:hgetall(key()) or {}) do entries[user] = json.decode(raw) end
  return entries
end

return M
