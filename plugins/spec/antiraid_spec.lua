-- plugins/antiraid.lua: a join wave starts a lockdown (only admins post, or newcomers are kicked); the chat
-- and the log channel are told; the group gets its permissions back; admins configure, inspect and end it.
local users = { olga = { first_name = "Olga" }, mia = { first_name = "Mia" }, late = { first_name = "Late" } }
for i = 1, 12 do users["r" .. i] = { first_name = "Raider " .. i } end

local function wave(count, chat, extra)
  local steps = {}
  for i = 1, count do
    local step = { join = "r" .. i, chat = chat }
    for key, value in pairs(extra or {}) do step[key] = value end
    steps[#steps + 1] = step
  end
  return steps
end

local function case(name, parts)
  local steps = {}
  for _, part in ipairs(parts) do
    if part[1] then
      for _, step in ipairs(part) do steps[#steps + 1] = step end
    else
      steps[#steps + 1] = part
    end
  end
  return { name = name, steps = steps }
end

return {
  plugins = { "antiraid" },
  workers = 2,                                -- time-outs run on the worker of the chat (cron per shard)
  users = users,
  chats = {
    group = { title = "Raided", creator = "olga", members = { "mia" } },
    other = { title = "Quiet", creator = "olga" },
    logs = { type = "channel", title = "Logs", creator = "olga" },
  },
  cases = {
    case("more than 10 joins in 10 s: lockdown; only admins can post, in one call; told once", {
      { redis = { "HSET", "warden:{chat:$group}:settings", "log.chat", "$logs" } },
      wave(11, "group"),
      { expect = "sendMessage", params = { chat_id = "$group" }, text = "Raid: 11 people joined within 10 s." },
      { expect = "sendMessage", params = { chat_id = "$logs" }, text = "#lockdown" },
      { expect = "getChat", params = { chat_id = "$group" } },
      { expect = "setChatPermissions", params = { chat_id = "$group", permissions = { can_send_messages = false } } },
      { from = "r1", chat = "group", text = "buy now", refused = true },
      { join = "late", chat = "group" },
      { from = "late", chat = "group", text = "me too", refused = true },
      { from = "mia", chat = "group", text = "what happened?", refused = true },
      { from = "olga", chat = "group", text = "hang on" },
      { expect_no = "restrictChatMember" },
      { expect = "sendMessage", count = 1, params = { chat_id = "$group" } },
      { expect_redis = { "EXISTS", "warden:{chat:$group}:raid:permissions" }, equals = 1 },
    }),
    case("ten joins are not a raid; each group counts its own joins", {
      wave(10, "group"),
      wave(6, "other"),
      { expect_no = "restrictChatMember" },
      { expect_no = "sendMessage" },
      { expect_redis = { "EXISTS", "warden:{chat:$group}:raid:lockdown" }, equals = 0 },
    }),
    case("people an admin adds are not a raid", {
      wave(12, "group", { added_by = "olga" }),
      { expect_no = "restrictChatMember" },
      { expect_no = "sendMessage" },
    }),
    case("/antiraid J W and action kick; /antiraid shows the lockdown; /antiraid end lifts it", {
      { from = "olga", chat = "group", text = "/antiraid 3 10" },
      { expect = "sendMessage", text = "More than 3 joins within 10 s start a lockdown" },
      { from = "olga", chat = "group", text = "/antiraid action kick" },
      { expect = "sendMessage", text = "newcomers are kicked during it", timeout = 8 },
      wave(4, "group"),
      { expect = "banChatMember", params = { user_id = "$r1" } },
      { expect = "banChatMember", params = { user_id = "$r4" } },
      { expect = "sendMessage", text = "newcomers are kicked until then", timeout = 8 },
      { expect_member = "r4", chat = "group", status = "left" },
      { from = "olga", chat = "group", text = "/antiraid" },
      { expect = "sendMessage", text = "Lockdown: on, until", timeout = 8 },
      { from = "olga", chat = "group", text = "/antiraid end" },
      { expect = "sendMessage", text = "The lockdown is lifted.", timeout = 8 },
      { expect_redis = { "EXISTS", "warden:{chat:$group}:raid:lockdown" }, equals = 0 },
      { join = "late", chat = "group" },
      { expect_no = "banChatMember", params = { user_id = "$late" } },
      { join = "r1", chat = "other" },
      { expect_no = "banChatMember", params = { chat_id = "$other" } },
    }),
    case("a lockdown ends by itself and the chat is told", {
      { redis = { "HSET", "warden:{chat:$group}:settings", "antiraid.joins", "2" } },
      { redis = { "HSET", "warden:{chat:$group}:settings", "antiraid.duration", "1" } },
      wave(3, "group"),
      { expect = "sendMessage", text = "Raid: 3 people joined" },
      { expect = "setChatPermissions", params = { permissions = { can_send_messages = false } } },
      { expect = "sendMessage", text = "The lockdown is over", timeout = 8 },
      -- The group gets its own permissions back (the simulator's: members may send everything).
      { expect = "setChatPermissions", params = { permissions = { can_send_messages = true, can_send_polls = true } } },
      { expect_redis = { "EXISTS", "warden:{chat:$group}:raid:permissions" }, equals = 0 },
      { join = "late", chat = "group" },
      { from = "late", chat = "group", text = "hello" },
      { from = "mia", chat = "group", text = "back to normal" },
      { expect_no = "restrictChatMember", params = { user_id = "$late" } },
    }),
    case("bad numbers change nothing; /antiraid off; a member's /antiraid changes nothing", {
      { from = "olga", chat = "group", text = "/antiraid 1 10" },
      { expect = "sendMessage", text = "give a number from 2 to 1000" },
      { from = "olga", chat = "group", text = "/antiraid 5 0" },
      { expect = "sendMessage", text = "give a number from 1 to 3600", timeout = 8 },
      { expect_redis = { "HGET", "warden:{chat:$group}:settings", "antiraid.joins" }, is_nil = true },
      { from = "mia", chat = "group", text = "/antiraid off" },
      { from = "mia", chat = "group", text = "/antiraid 2 10" },
      { expect_redis = { "HGET", "warden:{chat:$group}:settings", "antiraid.on" }, is_nil = true },
      { from = "olga", chat = "group", text = "/antiraid off" },
      { expect = "sendMessage", text = "Anti-raid: off", timeout = 8 },
      { expect = "sendMessage", count = 3 },
      wave(12, "group"),
      { expect_no = "restrictChatMember" },
    }),
  },
}
