-- The `warden demo` scenario (docs/demo.md): a group of 30 members sets up its defences, chats, takes in
-- newcomers through the captcha, survives a raid of 20 accounts posting ~300 spam messages within
-- seconds, and a second wave of fresh accounts trips the anti-raid lockdown.
-- A scenario is Lua: loops below generate the crowd and the raid.

local users = {
  olga = { first_name = "Olga", username = "olga" },      -- the owner
  adam = { first_name = "Adam", username = "adam_mod" },  -- an admin
  troll = { first_name = "Trevor", username = "trevor" },
  nina = { first_name = "Nina", username = "nina" },      -- a newcomer who solves the captcha
  bot9 = { first_name = "Totally Human" },                -- a newcomer who does not
}
local members = { "troll" }
local first_names = { "Ana", "Ben", "Cleo", "Dan", "Eva", "Finn", "Gia", "Hugo", "Ida", "Jon", "Kim", "Leo", "Mae",
  "Ned", "Oona", "Per", "Quin", "Rita", "Sven", "Tara", "Uma", "Vik", "Wes", "Xena", "Yuri", "Zoe", "Abe" }
for index, name in ipairs(first_names) do
  local key = "m" .. index
  users[key] = { first_name = name, username = name:lower() .. "_" .. index }
  members[#members + 1] = key
end
-- Twenty accounts that joined quietly over the last weeks and wait for the signal.
local raiders = {}
for index = 1, 20 do
  local key = "raider" .. index
  users[key] = { first_name = "Crypto Deals " .. index, username = "deals_" .. index }
  members[#members + 1] = key
  raiders[#raiders + 1] = key
end
-- The second wave: fresh accounts that join all at once.
local wave = {}
for index = 1, 15 do
  local key = "fresh" .. index
  users[key] = { first_name = "New Account " .. index }
  wave[#wave + 1] = key
end

local steps = {}
local function add(step) steps[#steps + 1] = step end
local function say(text) add({ say = text }) end

say("Olga (owner) and Adam (admin) set up the group: a log channel, locks, flood control, the captcha.")
add({ from = "olga", chat = "group", text = "/setlog $modlog" })
add({ wait = 0.5 })
add({ from = "adam", chat = "group", text = "/lock links" })
add({ from = "adam", chat = "group", text = "/lock stickers" })
add({ from = "adam", chat = "group", text = "/lock forwards" })
add({ from = "adam", chat = "group", text = "/setflood 5" })
add({ from = "adam", chat = "group", text = "/floodaction tmute 1h" })
add({ from = "olga", chat = "group", text = "/captcha question Which animal says meow? | cat | dog | cow" })
add({ from = "olga", chat = "group", text = "/captcha on" })
add({ wait = 1 })

say("An ordinary afternoon.")
local chatter = { "good morning!", "anyone tried the new release?", "yes, works fine here", "nice :)",
  "what time is the call?", "18:00 UTC", "thanks", "see you there", "lol", "the docs are great" }
for index, text in ipairs(chatter) do add({ from = members[index + 1], chat = "group", text = text }) end
add({ from = "troll", chat = "group", text = "this group is garbage and so are you all", as = "rude" })
add({ wait = 1 })

say("Adam warns Trevor by reply; Trevor insists and gets banned.")
add({ from = "adam", chat = "group", text = "/warn be nice", reply_to = "rude" })
add({ from = "troll", chat = "group", text = "make me", as = "rude2" })
add({ from = "adam", chat = "group", text = "/ban insulting members", reply_to = "rude2" })
add({ wait = 1 })

say("Two newcomers: Nina solves the captcha, 'Totally Human' does not.")
add({ join = "nina", chat = "group" })
-- The bot's replies queue behind Telegram's 20-messages-a-minute group limit, so the challenge may take a while.
add({ expect = "sendMessage", params = { chat_id = "$group" }, text = "Nina</a>, before you can write",
  as = "captcha_nina", timeout = 60 })
add({ press = "captcha:cat", from = "nina", message = "captcha_nina" })
add({ expect = "restrictChatMember", params = { user_id = "$nina", permissions = { can_send_messages = true } } })
add({ join = "bot9", chat = "group" })
add({ expect = "sendMessage", params = { chat_id = "$group" }, text = "Totally Human", as = "captcha_bot",
  timeout = 60 })
add({ press = "captcha:dog", from = "bot9", message = "captcha_bot" })
add({ expect = "banChatMember", params = { user_id = "$bot9" } })
add({ wait = 1 })

say("The raid: 20 accounts post links, stickers, forwards and floods, about 300 messages in a few seconds.")
local payloads = {
  { text = "💰 FREE crypto airdrop → https://t.me/+freemoney" },
  { text = "join now t.me/joinchat/AAAAcrypto" },
  { kind = "sticker" },
  { text = "best deals here", forward_from_chat = "spamchannel" },
  { text = "BUY NOW BUY NOW" },
  { text = "click → http://scam.example/win" },
}
for round = 1, 15 do
  for index, raider in ipairs(raiders) do
    local payload = payloads[(round + index) % #payloads + 1]
    local step = { from = raider, chat = "group", spam = true, quiet = true }
    for key, value in pairs(payload) do step[key] = value end
    add(step)
  end
  add({ wait = 0.5, quiet = true })
end

say("A second wave: 15 fresh accounts join within seconds. Anti-raid locks the group down.")
for _, account in ipairs(wave) do add({ join = account, chat = "group", quiet = true }) end
add({ wait = 3 })

return {
  title = "Warden demo: a 30-member group, a captcha, a 300-message raid and a join wave",
  plugins = { "plugins", "gban", "bans", "antiraid", "captcha", "flood", "locks", "blocklist", "warns", "roles",
    "reports", "welcome", "settings", "logchannel", "help", "id" },
  users = users,
  chats = {
    group = { title = "Demo Group", creator = "olga", admins = { adam = { "can_restrict_members",
      "can_delete_messages" } }, members = members },
    modlog = { type = "channel", title = "Demo Group mod log", creator = "olga" },
    spamchannel = { type = "channel", title = "Crypto Signals", creator = "olga" },
  },
  steps = steps,
}
