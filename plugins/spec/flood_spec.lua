-- plugins/flood.lua: bursts deleted, one punishment per burst, albums once, exemptions, settings per chat,
-- the optional global ban after K floods.
local function burst(user, chat, count, extra, first)
  local steps = {}
  for i = first or 1, (first or 1) + count - 1 do
    local step = { from = user, chat = chat, text = "spam " .. i, as = user .. chat .. i }
    for key, value in pairs(extra or {}) do step[key] = value end
    if step.kind then step.text = nil end
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
  plugins = { "flood" },
  sudo = { "root" },
  users = {
    olga = { first_name = "Olga" }, adam = { first_name = "Adam" }, sam = { first_name = "Sam" },
    mia = { first_name = "Mia" }, moe = { first_name = "Moe" }, root = { first_name = "Root" },
  },
  chats = {
    group = { title = "Flood", creator = "olga", admins = { adam = { "can_restrict_members" } },
      members = { "sam", "mia", "moe", "root" } },
    other = { title = "Other", creator = "olga", members = { "sam" } },
  },
  cases = {
    case("six messages in five seconds: the whole burst is deleted and the user muted once", {
      burst("sam", "group", 10),
      { expect = "restrictChatMember", params = { chat_id = "$group", user_id = "$sam",
        permissions = { can_send_messages = false } } },
      { expect = "sendMessage", text = "Muted Sam: flood: 6 messages in 5 s" },
      { expect = "deleteMessages", params = { chat_id = "$group",
        message_ids = { "$samgroup1", "$samgroup2", "$samgroup3", "$samgroup4", "$samgroup5", "$samgroup6" } } },
      { expect_gone = "samgroup1" },
      { expect_gone = "samgroup6" },
      { expect_gone = "samgroup10" },
      { expect = "restrictChatMember", count = 1 },
      { expect = "sendMessage", count = 1 },
      { expect_member = "sam", chat = "group", status = "restricted", can_send_messages = false },
    }),
    case("five messages are fine; a flood in one group is counted apart from another", {
      burst("sam", "group", 4),
      burst("sam", "other", 4),
      burst("sam", "group", 1, nil, 5),
      { expect_no = "restrictChatMember" },
      { expect_no = "deleteMessages" },
      { expect_no = "deleteMessage" },
      { expect_visible = "samgroup5" },
      { expect_visible = "samother4" },
    }),
    case("admins, mods and approved users are exempt", {
      { redis = { "SADD", "warden:{chat:$group}:approved", "$mia" } },
      { redis = { "SADD", "warden:{chat:$group}:mods", "$moe" } },
      burst("mia", "group", 8),
      burst("adam", "group", 8),
      burst("olga", "group", 8),
      { expect_no = "restrictChatMember" },
      { expect_no = "deleteMessages" },
      { expect_visible = "miagroup8" },
    }),
    case("an album counts once, not once per photo", {
      burst("sam", "group", 8, { kind = "photo", media_group_id = "album1" }),
      burst("sam", "group", 4, nil, 9),
      { expect_no = "restrictChatMember" },
      { expect_visible = "samgroup12" },
      { from = "sam", chat = "group", text = "one too many" },
      { expect = "restrictChatMember", params = { user_id = "$sam" } },
      { expect_gone = "samgroup1" },
      { expect_gone = "samgroup8" },
    }),
    case("/floodexempt: exempt kinds never count; /floodexempt none makes them count again", {
      { from = "olga", chat = "group", text = "/floodexempt stickers" },
      { expect = "sendMessage", text = "These no longer count: sticker." },
      burst("sam", "group", 8, { kind = "sticker" }),
      { expect_no = "restrictChatMember" },
      { from = "olga", chat = "group", text = "/floodexempt explosions" },
      { expect = "sendMessage", text = "explosions is not a kind" },
      { expect_redis = { "HGET", "warden:{chat:$group}:settings", "flood.exempt" }, equals = "sticker" },
      { from = "olga", chat = "group", text = "/floodexempt none" },
      { expect = "sendMessage", text = "Every kind of message counts again." },
      burst("mia", "group", 6, { kind = "sticker" }),
      { expect = "restrictChatMember", params = { user_id = "$mia" } },
    }),
    case("/setflood, /setfloodtime and /floodaction change this chat only", {
      { from = "olga", chat = "group", text = "/setflood 3" },
      { expect = "sendMessage", text = "More than 3 messages is now a flood." },
      { from = "olga", chat = "group", text = "/setfloodtime 10" },
      { expect = "sendMessage", text = "Messages are now counted over 10 seconds." },
      { from = "olga", chat = "group", text = "/floodaction kick" },
      { expect = "sendMessage", text = "Flooders now get: kick." },
      { from = "olga", chat = "group", text = "/setfloodtime 1000" },
      { expect = "sendMessage", text = "give a number from 1 to 300" },
      { from = "olga", chat = "group", text = "/flood" },
      { expect = "sendMessage", text = "More than 3 messages in 10 s → kick", timeout = 8 },
      burst("sam", "other", 4),
      { expect_no = "banChatMember" },
      burst("sam", "group", 4),
      { expect = "banChatMember", params = { chat_id = "$group", user_id = "$sam" } },
      { expect = "unbanChatMember", params = { chat_id = "$group", user_id = "$sam" } },
      { expect = "sendMessage", text = "Kicked Sam: flood: 4 messages in 10 s", timeout = 8 },
      { expect_no = "restrictChatMember" },
    }),
    case("/floodaction tmute D mutes for a while; a bad action is refused with the choices", {
      { from = "olga", chat = "group", text = "/floodaction explode" },
      { expect = "sendMessage", text = "an action is delete, warn, mute" },
      { from = "olga", chat = "group", text = "/floodaction tmute" },
      { expect = "sendMessage", text = "tmute needs a duration" },
      { from = "olga", chat = "group", text = "/floodaction tmute 1h" },
      { expect = "sendMessage", text = "Flooders now get: tmute 1h.", timeout = 8 },
      burst("sam", "group", 6),
      { expect = "restrictChatMember", params = { user_id = "$sam", permissions = { can_send_messages = false } } },
      { expect = "sendMessage", text = "Muted Sam for 1h: flood: 6 messages in 5 s", timeout = 8 },
    }),
    case("/floodaction delete only deletes the burst", {
      { redis = { "HSET", "warden:{chat:$group}:settings", "flood.action", "delete" } },
      burst("sam", "group", 7),
      { expect = "deleteMessages", params = { chat_id = "$group" } },
      { expect_gone = "samgroup1" },
      { expect_gone = "samgroup7" },
      { expect_no = "restrictChatMember" },
      { expect_no = "banChatMember" },
      { expect_member = "sam", chat = "group", status = "member" },
    }),
    case("a member's /setflood changes nothing; /flood off and /setflood off switch it off", {
      { from = "sam", chat = "group", text = "/setflood 2" },
      { from = "sam", chat = "group", text = "/flood off" },
      { expect_no = "sendMessage" },
      { expect_redis = { "HGET", "warden:{chat:$group}:settings", "flood.max" }, is_nil = true },
      { expect_redis = { "HGET", "warden:{chat:$group}:settings", "flood.on" }, is_nil = true },
      { from = "adam", chat = "group", text = "/flood off" },
      { expect = "sendMessage", text = "Flood control is off." },
      burst("sam", "group", 8),
      { expect_no = "restrictChatMember" },
      { from = "olga", chat = "group", text = "/setflood 4" },
      { expect = "sendMessage", text = "More than 4 messages is now a flood." },
      { expect_redis = { "HGET", "warden:{chat:$group}:settings", "flood.on" }, equals = "1" },
      { from = "olga", chat = "group", text = "/setflood off" },
      { expect = "sendMessage", text = "Flood control is off.", timeout = 8 },
      { expect_redis = { "HGET", "warden:{chat:$group}:settings", "flood.on" }, equals = "0" },
    }),
    case("no global ban by default", {
      burst("sam", "group", 6),
      { expect = "restrictChatMember", params = { user_id = "$sam" } },
      { expect_no = "banChatMember" },
      { expect_redis = { "HEXISTS", "warden:gbans", "$sam" }, equals = 0 },
    }),
    case("escalation: after K floods the user is banned globally and here (only sudo sets K)", {
      { from = "olga", chat = "group", text = "/floodgban 1" },
      { expect_no = "sendMessage" },
      { expect_redis = { "HGET", "warden:settings", "flood.gban_after" }, is_nil = true },
      { from = "root", chat = "group", text = "/floodgban 1" },
      { expect = "sendMessage", text = "Whoever floods 1 times within a day" },
      { expect_redis = { "HGET", "warden:settings", "flood.gban_after" }, equals = "1" },
      burst("sam", "group", 6),
      { expect = "restrictChatMember", params = { user_id = "$sam" } },
      { expect = "banChatMember", params = { chat_id = "$group", user_id = "$sam" } },
      { expect_redis = { "HEXISTS", "warden:gbans", "$sam" }, equals = 1 },
      { expect_member = "sam", chat = "group", status = "kicked" },
    }),
  },
}
