-- plugins/welcome.lua: welcomes with placeholders, old welcomes cleaned up, rules and about.
return {
  plugins = { "welcome" },
  users = {
    olga = { first_name = "Olga" }, sam = { first_name = "Sam" },
    nina = { first_name = "Nina", last_name = "<Lee>", username = "nina_l" }, ned = { first_name = "Ned" },
    robot = { first_name = "Robot", is_bot = true },
  },
  chats = {
    group = { title = "Cats & Dogs", creator = "olga", members = { "sam" } },
    other = { title = "Other", creator = "olga" },
  },
  cases = {
    {
      name = "a custom welcome fills the placeholders, HTML-safe, with a mention",
      steps = {
        { from = "olga", chat = "group",
          text = "/setwelcome Hi {first} {last} ({username}), welcome to {chat}! {mention}" },
        { expect = "sendMessage", text = "Welcome saved and switched on." },
        { join = "nina", chat = "group" },
        { expect = "sendMessage", params = { parse_mode = "HTML" },
          text = 'Hi Nina &lt;Lee&gt; (@nina_l), welcome to Cats &amp; Dogs! <a href="tg://user?id=$nina">Nina</a>' },
      },
    },
    {
      name = "the previous welcome is deleted when the next newcomer arrives; bots are not welcomed",
      steps = {
        { from = "olga", chat = "group", text = "/welcome on" },
        { expect = "sendMessage", text = "Newcomers will be welcomed." },
        { join = "nina", chat = "group" },
        { expect = "sendMessage", text = "Welcome to Cats &amp; Dogs", as = "first_welcome" },
        { join = "ned", chat = "group" },
        { expect = "sendMessage", text = "Ned" },
        { expect_gone = "first_welcome" },
        { join = "robot", chat = "group", added_by = "olga" },
        { expect = "sendMessage", count = 3 },
      },
    },
    {
      name = "welcomes are off by default and per chat",
      steps = {
        { join = "nina", chat = "group" },
        { from = "olga", chat = "other", text = "/welcome on" },
        { join = "ned", chat = "other" },
        { expect = "sendMessage", params = { chat_id = "$other" }, text = "Ned" },
        { expect_no = "sendMessage", params = { chat_id = "$group" } },
      },
    },
    {
      name = "rules and about: admins set them, anyone reads them, members cannot change them",
      steps = {
        { from = "sam", chat = "group", text = "/rules" },
        { expect = "sendMessage", text = "This group has no rules set." },
        { from = "sam", chat = "group", text = "/setrules anything goes" },
        { from = "olga", chat = "group", text = "/setrules 1. Be kind. 2. No spam." },
        { expect = "sendMessage", text = "Rules saved." },
        { from = "sam", chat = "group", text = "/rules" },
        { expect = "sendMessage", text = "1. Be kind. 2. No spam." },
        { from = "olga", chat = "group", text = "/setabout A group about cats and dogs." },
        { from = "sam", chat = "group", text = "/about" },
        { expect = "sendMessage", text = "A group about cats and dogs." },
        { expect_no = "sendMessage", text = "anything goes" },
      },
    },
    {
      name = "/welcome shows the state and text; /resetwelcome restores it; a member's /setwelcome does nothing",
      steps = {
        { from = "sam", chat = "group", text = "/setwelcome hacked" },
        { expect_no = "sendMessage" },
        { from = "olga", chat = "group", text = "/setwelcome Hello {first}" },
        { from = "olga", chat = "group", text = "/welcome" },
        { expect = "sendMessage", text = "Welcomes are on. The welcome:\n\nHello {first}" },
        { from = "olga", chat = "group", text = "/resetwelcome" },
        { from = "olga", chat = "group", text = "/welcome off" },
        { expect = "sendMessage", text = "Newcomers will not be welcomed." },
      },
    },
  },
}
