-- plugins/flood.lua: bursts deleted, one punishment per burst, albums once, exemptions, settings per chat.
local function burst(user, chat, count, extra)
  local steps = {}
  for i = 1, count do
    local step = { from = user, chat = chat, text = "spam " .. i, as = user .. chat .. i }
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
  plugins = { "flood" },
  sudo = { "root" },
  users = {
    olga = { first_name = "Olga" }, adam = { first_name = "Adam" }, sam = { first_name = "Sam" },
    mia = { first_name = "Mia" }, root = { first_name = "Root" },
  },
  chats = {
    group = { title = "Flood", creator = "olga", admins = { adam = { "can_restrict_members" } },
      members = { "sam", "mia", "root" } },
    other = { title = "Other", creator = "olga", members = { "sam" } },
  },
  cases = {
    case("six messages in five seconds: the burst is deleted and the user muted once", {
      burst("sam", "group", 9),
      { expect = "restrictChatMember", params = { chat_id = "$group", user_id = "$sam",
        permissions = { can_send_messages = false } } },
      { expect = "sendMessage", text = "flood: 6 messages in 5 s" },
      { expect_gone = "samgroup1" },
      { expect_gone = "samgroup6" },
      { expect = "restrictChatMember", count = 1 },
    }),
    case("five messages are fine; another chat counts separately", {
      burst("sam", "group", 5),
      burst("sam", "other", 3),
      { expect_no = "restrictChatMember" },
      { expect_visible = "samgroup5" },
    }),
    case("admins and approved users are exempt", {
      { redis = { "SADD", "warden:{chat:$group}:approved", "$mia" } },
      burst("mia", "group", 8),
      burst("adam", "group", 8),
      { expect_no = "restrictChatMember" },
      { expect_no = "deleteMessages" },
    }),
    case("an album counts once", {
      burst("sam", "group", 8, { kind = "photo", media_group_id = "album1" }),
      { expect_no = "restrictChatMember" },
    }),
    case("exempt media kinds never count", {
      { from = "olga", chat = "group", text = "/floodexempt sticker" },
      { expect = "sendMessage", text = "These no longer count: sticker" },
      burst("sam", "group", 8, { kind = "sticker" }),
      { expect_no = "restrictChatMember" },
    }),
    case("/setflood, /setfloodtime and /floodaction change this chat only", {
      { from = "olga", chat = "group", text = "/setflood 3" },
      { expect = "sendMessage", text = "More than 3 messages is now a flood." },
      { from = "olga", chat = "group", text = "/floodaction kick" },
      { expect = "sendMessage", text = "Flooders now get: kick." },
      { from = "olga", chat = "group", text = "/setfloodtime 1000" },
      { expect = "sendMessage", text = "give a number from 1 to 300" },
      { from = "olga", chat = "group", text = "/flood" },
      { expect = "sendMessage", text = "More than 3 messages in 5 s → kick" },
      burst("sam", "other", 4),
      { expect_no = "banChatMember" },
      burst("sam", "group", 4),
      { expect = "banChatMember", params = { chat_id = "$group", user_id = "$sam" } },
      { expect = "unbanChatMember", params = { chat_id = "$group", user_id = "$sam" } },
    }),
    case("a member's /setflood changes nothing; /flood off switches it off", {
      { from = "sam", chat = "group", text = "/setflood 2" },
      { expect_no = "sendMessage" },
      { expect_redis = { "HGET", "warden:{chat:$group}:settings", "flood.max" }, is_nil = true },
      { from = "adam", chat = "group", text = "/flood off" },
      { expect = "sendMessage", text = "Flood control is off." },
      burst("sam", "group", 8),
      { expect_no = "restrictChatMember" },
    }),
    case("a bad action is refused with the choices", {
      { from = "olga", chat = "group", text = "/floodaction explode" },
      { expect = "sendMessage", text = "an action is delete, warn, mute" },
      { from = "olga", chat = "group", text = "/floodaction tmute" },
      { expect = "sendMessage", text = "tmute needs a duration" },
    }),
    case("escalation: after K floods the user is banned globally (sudo sets K)", {
      { from = "olga", chat = "group", text = "/floodgban 1" },
      { expect_no = "sendMessage", text = "banned everywhere" },
      { from = "root", chat = "group", text = "/floodgban 1" },
      { expect = "sendMessage", text = "Whoever floods in 1 groups" },
      burst("sam", "group", 6),
      { expect = "banChatMember", params = { user_id = "$sam" } },
      { expect_redis = { "HEXISTS", "warden:gbans", "$sam" }, equals = 1 },
    }),
  },
}
