-- plugins/locks.lua: every lock kind, each action, exemptions, edits, and per-chat isolation.
-- One message per kind that breaks it (extra fields go to the simulator's control API as they are).
local SAMPLES = {
  links = { text = "join t.me/joinchat/AAAAspam now" },
  forwards = { text = "look at this", forward_from_user = "mia" },
  mentions = { text = "hey @crypto_joe look" },
  hashtags = { text = "#crypto #free" },
  arabic = { text = "مرحبا بكم" },
  rtl = { text = "harmless\u{202E}txt.exe" },
  cjk = { text = "免费加密货币" },
  cyrillic = { text = "привет всем" },
  stickers = { kind = "sticker" },
  gifs = { kind = "animation" },
  photos = { kind = "photo" },
  videos = { kind = "video" },
  video_notes = { kind = "video_note" },
  voice = { kind = "voice" },
  audio = { kind = "audio" },
  documents = { kind = "document" },
  contacts = { kind = "contact" },
  locations = { kind = "location" },
  games = { kind = "game" },
  polls = { kind = "poll" },
  dice = { kind = "dice" },
  inline = { text = "result from a bot", via_bot = "helper" },
  buttons = { text = "click", reply_markup = { inline_keyboard = { { { text = "go", callback_data = "x" } } } } },
}

local users = {
  olga = { first_name = "Olga", username = "olga" }, adam = { first_name = "Adam" }, sam = { first_name = "Sam" },
  mia = { first_name = "Mia" }, helper = { first_name = "Helper", username = "helperbot", is_bot = true },
  spambot = { first_name = "Spam Bot", is_bot = true },
}

local cases = {}
local kinds = {}
for kind in pairs(SAMPLES) do kinds[#kinds + 1] = kind end
table.sort(kinds)
for _, kind in ipairs(kinds) do
  local message = { from = "sam", chat = "group", as = "bad" }
  local clean = { from = "sam", chat = "other", as = "fine" }
  for key, value in pairs(SAMPLES[kind]) do
    message[key] = value
    clean[key] = value
  end
  cases[#cases + 1] = {
    name = "lock " .. kind .. ": deleted here, untouched in another group",
    steps = {
      { from = "olga", chat = "group", text = "/lock " .. kind },
      { expect = "sendMessage", text = "Locked " .. kind .. ": delete." },
      message,
      clean,
      { expect_gone = "bad" },
      { expect_visible = "fine" },
    },
  }
end

local more = {
  {
    name = "unlocked kinds stay; plain text passes every lock",
    steps = {
      { from = "olga", chat = "group", text = "/lock all" },
      { from = "sam", chat = "group", text = "just a normal message", as = "plain" },
      { from = "olga", chat = "group", text = "/unlock all" },
      { from = "sam", chat = "group", kind = "sticker", as = "sticker" },
      { expect_visible = "plain" },
      { expect_visible = "sticker" },
    },
  },
  {
    name = "admins and approved users are exempt",
    steps = {
      { redis = { "SADD", "warden:{chat:$group}:approved", "$mia" } },
      { from = "olga", chat = "group", text = "/lock links" },
      { from = "adam", chat = "group", text = "see https://example.com", as = "a" },
      { from = "mia", chat = "group", text = "see https://example.com", as = "m" },
      { expect_visible = "a" },
      { expect_visible = "m" },
    },
  },
  {
    name = "a member's /lock changes nothing",
    steps = {
      { from = "sam", chat = "group", text = "/lock stickers" },
      { expect_no = "sendMessage" },
      { expect_redis = { "HGET", "warden:{chat:$group}:settings", "lock.stickers" }, is_nil = true },
    },
  },
  {
    name = "each action: warn, mute, kick, ban",
    steps = {
      { from = "olga", chat = "group", text = "/lock stickers warn" },
      { from = "olga", chat = "group", text = "/lock photos mute" },
      { from = "olga", chat = "group", text = "/lock videos kick" },
      { from = "olga", chat = "group", text = "/lock documents ban" },
      { from = "sam", chat = "group", kind = "sticker", as = "s" },
      { expect = "sendMessage", text = "Sam has 1/3 warnings: locked: stickers" },
      { expect_gone = "s" },
      { from = "sam", chat = "group", kind = "photo" },
      { expect = "restrictChatMember", params = { user_id = "$sam" } },
      { set_member = "sam", chat = "group", status = "member" },
      { from = "sam", chat = "group", kind = "video" },
      { expect = "unbanChatMember", params = { user_id = "$sam" } },
      { join = "sam", chat = "group" },
      { from = "sam", chat = "group", kind = "document" },
      { expect = "sendMessage", text = "Banned Sam: locked: documents" },
      { expect_member = "sam", chat = "group", status = "kicked" },
    },
  },
  {
    name = "hidden links (text_link) and link buttons count as links",
    steps = {
      { from = "olga", chat = "group", text = "/lock links" },
      { from = "sam", chat = "group", text = "totally innocent", as = "hidden",
        entities = { { type = "text_link", offset = 0, length = 7, url = "https://scam.example" } } },
      { from = "sam", chat = "group", text = "press", as = "button",
        reply_markup = { inline_keyboard = { { { text = "win", url = "https://scam.example" } } } } },
      { expect_gone = "hidden" },
      { expect_gone = "button" },
    },
  },
  {
    name = "an edited message is checked again; with edits locked any edit goes",
    steps = {
      { from = "olga", chat = "group", text = "/lock links" },
      { from = "sam", chat = "group", text = "hello", as = "m1" },
      { edit = "m1", text = "now visit t.me/scam" },
      { expect_gone = "m1" },
      { from = "olga", chat = "group", text = "/lock edits" },
      { from = "sam", chat = "group", text = "typo", as = "m2" },
      { edit = "m2", text = "typo fixed" },
      { expect_gone = "m2" },
    },
  },
  {
    name = "a member adding a bot: the bot is removed; an admin may add one",
    steps = {
      { from = "olga", chat = "group", text = "/lock bots" },
      { join = "spambot", chat = "group", added_by = "sam" },
      { expect = "banChatMember", params = { user_id = "$spambot" } },
      { set_member = "spambot", chat = "group", status = "left" },
      { join = "spambot", chat = "group", added_by = "olga" },
      { expect = "banChatMember", count = 1 },
    },
  },
  {
    name = "service messages are cleaned up; commands from members are deleted but still run",
    steps = {
      { from = "olga", chat = "group", text = "/lock service" },
      { from = "olga", chat = "group", text = "/lock commands" },
      { leave = "mia", chat = "group" },
      { expect = "deleteMessage" },
      { from = "sam", chat = "group", text = "/locks", as = "cmd" },
      { expect_gone = "cmd" },
    },
  },
  {
    name = "unknown kinds get the list of kinds",
    steps = {
      { from = "olga", chat = "group", text = "/lock everything" },
      { expect = "sendMessage", text = "everything is not something I can lock" },
      { from = "olga", chat = "group", text = "/locks" },
      { expect = "sendMessage", text = "🔓 links" },
    },
  },
}
for _, item in ipairs(more) do cases[#cases + 1] = item end

return {
  plugins = { "locks" },
  users = users,
  chats = {
    group = { title = "Locked", creator = "olga", admins = { adam = { "can_restrict_members" } },
      members = { "sam", "mia" } },
    other = { title = "Open", creator = "olga", members = { "sam", "mia" } },
  },
  cases = cases,
}
