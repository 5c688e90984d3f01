-- Values derived from keys the read cache keeps (settings, blocklists), remembered by id while
-- redis:cache_stamp(key) stays the same: a write to the key, from anywhere, changes it. Without the
-- read cache (the stamp is nil) nothing is remembered. This is what lets a check that runs on every
-- message read a chat's settings without a Redis call.
local M = {}
M.__index = M

--- A memo of at most `limit` ids (forgotten all at once past it).
function M.new(limit) return setmetatable({ by_id = {}, count = 0, limit = limit }, M) end

--- The value for `id`: derive(key) when `key` may have changed since it was last derived. The value may
-- be handed out again: read it, do not change it.
function M:get(id, key, derive)
  -- The stamp first: a write landing after it changes the next one, so a stale value is never kept.
  local stamp = redis:cache_stamp(key)
  local known = self.by_id[id]
  if stamp ~= nil and known and known.stamp == stamp then return known.value end
  local value = derive(key)
  if stamp ~= nil then
    if not known then
      if self.count >= self.limit then self.by_id, self.count = {}, 0 end
      self.count = self.count + 1
    end
    self.by_id[id] = { stamp = stamp, value = value }
  end
  return value
end

return M
