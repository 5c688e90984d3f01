-- plugins/blocklist.lua: words (case- and homoglyph-insensitive), patterns, actions, and their refusals.
return {
  plugins = { "blocklist" },
  users = { olga = { first_name = "Olga" }, sam = { first_name = "Sam" }, mia = { first_name = "Mia" } },
  chats = {
    group = { title = "Filtered", creator = "olga", members = { "sam", "mia" } },
    other = { title = "Other", creator = "olga", members = { "sam" } },
  },
  cases = {
    {
      name = "a word is caught in any case and with look-alike letters; other groups are not affected",
      steps = {
        { from = "olga", chat = "group", text = "/filter free money" },
        { expect = "sendMessage", text = "Blocked \"free money\" → delete." },
        { from = "sam", chat = "group", text = "get FR33 МОNЕY today!!", as = "homoglyphs" },
        { from = "sam", chat = "group", text = "Free   Money", as = "spaced" },
        { from = "sam", chat = "group", text = "freedom is money", as = "innocent" },
        { from = "sam", chat = "other", text = "free money", as = "elsewhere" },
        { expect_gone = "homoglyphs" },
        { expect_gone = "spaced" },
        { expect_visible = "innocent" },
        { expect_visible = "elsewhere" },
      },
    },
    {
      name = "a pattern entry with an action; a malformed pattern is refused",
      steps = {
        { from = "olga", chat = "group", text = "/filter re:b[uo]y%s+now mute" },
        { expect = "sendMessage", text = "→ mute" },
        { from = "sam", chat = "group", text = "BUY   now please", as = "m" },
        { expect = "restrictChatMember", params = { user_id = "$sam" } },
        { expect = "sendMessage", text = "Muted Sam: blocked word: re:b[uo]y%s+now" },
        { expect_gone = "m" },
        { from = "olga", chat = "group", text = "/filter re:[unclosed" },
        { expect = "sendMessage", text = "That pattern cannot be used: malformed pattern" },
        { from = "olga", chat = "group", text = "/filter re:.-.-.-.-.-x" },
        { expect = "sendMessage", text = "at most one of * + - ?" },
      },
    },
    {
      name = "warn and tban actions carry the entry as the reason",
      steps = {
        { from = "olga", chat = "group", text = "/filter casino warn" },
        { from = "olga", chat = "group", text = "/filter scam link tban 1d" },
        { from = "sam", chat = "group", text = "best CASINO in town" },
        { expect = "sendMessage", text = "Sam has 1/3 warnings: blocked word: casino" },
        { from = "mia", chat = "group", text = "this is a scam link" },
        { expect = "banChatMember", params = { user_id = "$mia" } },
        { expect = "sendMessage", text = "Banned Mia for 1d: blocked word: scam link" },
      },
    },
    {
      name = "/filters lists, /unfilter removes; a member's /filter changes nothing",
      steps = {
        { from = "sam", chat = "group", text = "/filter hello" },
        { expect_no = "sendMessage" },
        { from = "olga", chat = "group", text = "/filter spam" },
        { from = "olga", chat = "group", text = "/filters" },
        { expect = "sendMessage", text = "• spam → delete" },
        { from = "olga", chat = "group", text = "/unfilter spam" },
        { expect = "sendMessage", text = "Unblocked \"spam\"." },
        { from = "sam", chat = "group", text = "spam spam", as = "now_ok" },
        { expect_visible = "now_ok" },
      },
    },
    {
      name = "admins and approved users are not filtered",
      steps = {
        { redis = { "SADD", "warden:{chat:$group}:approved", "$mia" } },
        { from = "olga", chat = "group", text = "/filter crypto" },
        { from = "mia", chat = "group", text = "crypto news", as = "mia_msg" },
        { from = "olga", chat = "group", text = "crypto news", as = "olga_msg" },
        { expect_visible = "mia_msg" },
        { expect_visible = "olga_msg" },
      },
    },
  },
}
