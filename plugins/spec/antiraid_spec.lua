-- plugins/antiraid.lua: a join wave starts a lockdown; joins during it are contained; admins end it.
local users = { olga = { first_name = "Olga" }, mia = { first_name = "Mia" }, late = { first_name = "Late" } }
for i = 1, 12 do users["r" .. i] = { first_name = "Raider " .. i } end

local function wave(count, chat)
  local steps = {}
  for i = 1, count do steps[#steps + 1] = { join = "r" .. i, chat = chat } end
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
  users = users,
  chats = {
    group = { title = "Raided", creator = "olga", members = { "mia" } },
    other = { title = "Quiet", creator = "olga" },
  },
  cases = {
    case("more than 10 joins in 10 s: lockdown; the wave and later joiners are muted; admins are told", {
      wave(11, "group"),
      { expect = "sendMessage", text = "Raid: 11 people joined within 10 s." },
      { expect_member = "r1", chat = "group", status = "restricted", can_send_messages = false },
      { expect_member = "r11", chat = "group", status = "restricted" },
      { join = "late", chat = "group" },
      { expect = "restrictChatMember", params = { user_id = "$late" } },
      { expect = "sendMessage", count = 1, text = "Raid:" },
    }),
    case("ten joins are not a raid; another group counts its own", {
      wave(10, "group"),
      { expect_no = "restrictChatMember" },
      { expect_no = "sendMessage" },
    }),
    case("/antiraid J W and action kick; /antiraid end lifts the lockdown", {
      { from = "olga", chat = "group", text = "/antiraid 3 10" },
      { expect = "sendMessage", text = "more than 3 joins within 10 s" },
      { from = "olga", chat = "group", text = "/antiraid action kick" },
      wave(4, "group"),
      { expect = "banChatMember", params = { user_id = "$r4" } },
      { expect = "sendMessage", text = "newcomers get kick" },
      { from = "olga", chat = "group", text = "/antiraid end" },
      { expect = "sendMessage", text = "The lockdown is lifted." },
      { join = "late", chat = "group" },
      { expect_no = "banChatMember", params = { user_id = "$late" } },
      { join = "r1", chat = "other" },
      { expect_no = "banChatMember", params = { chat_id = "$other" } },
    }),
    case("/antiraid off; a member's /antiraid changes nothing", {
      { from = "mia", chat = "group", text = "/antiraid off" },
      { expect_no = "sendMessage" },
      { from = "olga", chat = "group", text = "/antiraid off" },
      { expect = "sendMessage", text = "Anti-raid: off" },
      wave(12, "group"),
      { expect_no = "restrictChatMember" },
    }),
  },
}
