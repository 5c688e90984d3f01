-- Join verification: newcomers (and join requests) must press the right button within T seconds.
-- A newcomer is restricted until then; whoever fails or times out is removed, and their join message and
-- the challenge are deleted. Modes: button ("I am human"), math (3 + 4 = ?), question (the admins' own).
local i18n = require("i18n")
local mod = require("moderation")
local punish = require("punish")
local settings = require("settings")

local function pending_key(chat_id, user_id) return keys.chat(chat_id, "captcha", tostring(user_id)) end
local function deadlines_key() return keys.global("captcha_deadlines") end

local function shuffle(list)
  for i = #list, 2, -1 do
    local j = math.random(i)
    list[i], list[j] = list[j], list[i]
  end
  return list
end

--- The question, the right choice and every choice as { label, value }, for the chat's mode.
local function challenge(t, values)
  local mode = values["captcha.mode"]
  if mode == "math" then
    local a, b = math.random(2, 9), math.random(2, 9)
    local right = a + b
    local choices, seen = { { tostring(right), tostring(right) } }, { [right] = true }
    while #choices < 4 do
      local wrong = right + math.random(-5, 5)
      if wrong > 0 and not seen[wrong] then
        seen[wrong] = true
        choices[#choices + 1] = { tostring(wrong), tostring(wrong) }
      end
    end
    return t("captcha.math", { a = a, b = b }), tostring(right), shuffle(choices)
  end
  if mode == "question" and values["captcha.question"] ~= "" then
    local choices, index = {}, 0
    for option in values["captcha.answer"]:gmatch("[^|]+") do
      index = index + 1
      choices[#choices + 1] = { option:match("^%s*(.-)%s*$"), tostring(index) }
    end
    if #choices >= 2 then return values["captcha.question"], "1", shuffle(choices) end
  end
  return t("captcha.button"), "human",
    shuffle({ { t("captcha.human"), "human" }, { t("captcha.robot"), "robot" }, { t("captcha.spam"), "spam" } })
end

local function keyboard(chat_id, user_id, choices)
  local row = {}
  for _, choice in ipairs(choices) do
    row[#row + 1] = { text = choice[1], callback_data = "captcha:" .. chat_id .. ":" .. user_id .. ":" .. choice[2] }
  end
  return { inline_keyboard = { row } }
end

local function remember(chat_id, user_id, record, seconds)
  redis:set(pending_key(chat_id, user_id), json.encode(record), "EX", seconds + 3600)
  redis:zadd(deadlines_key(), os.time() + seconds, chat_id .. ":" .. user_id)
end

local function forget(chat_id, user_id)
  redis:del(pending_key(chat_id, user_id))
  redis:zrem(deadlines_key(), chat_id .. ":" .. user_id)
end

--- Restricts a newcomer and posts the challenge in the group.
local function verify(msg, member, values)
  local chat_id, t = msg.chat.id, i18n.for_chat(msg.chat.id)
  local question, answer, choices = challenge(t, values)
  bot.restrict(chat_id, member.id, punish.NO_PERMISSIONS, nil)
  local record = { answer = answer, join_message = msg.message_id, name = mod.name(member) }
  remember(chat_id, member.id, record, values["captcha.time"])
  local text = t("captcha.prompt", { mention = '<a href="tg://user?id=' .. member.id .. '">'
    .. mod.name(member):gsub("&", "&amp;"):gsub("<", "&lt;") .. "</a>", question = question,
    seconds = values["captcha.time"] })
  bot.send(chat_id, text, { parse_mode = "HTML", reply_markup = keyboard(chat_id, member.id, choices) },
    function(ok, result)
      if not ok then return end
      local raw = redis:get(pending_key(chat_id, member.id))
      if not raw then return end
      local stored = json.decode(raw)
      stored.challenge = result.message_id
      redis:set(pending_key(chat_id, member.id), json.encode(stored), "KEEPTTL")
    end)
end

local function on_join(msg)
  if msg.service_action ~= "join" then return msg end
  local values = settings.all(msg.chat.id)
  if not values["captcha.on"] then return msg end
  -- During an anti-raid lockdown newcomers are muted anyway; a challenge each would only flood the chat.
  if redis:exists(keys.chat(msg.chat.id, "raid", "lockdown")) then return msg end
  for _, member in ipairs(msg.new_chat_members or {}) do
    local passed = redis:del(keys.chat(msg.chat.id, "captcha_passed", tostring(member.id))) == 1
    if not member.is_bot and not passed and role_in(msg.chat.id, member.id) == "member" then
      verify(msg, member, values)
    end
  end
  return msg
end

--- Telegram join requests: the question goes to the user privately; the answer approves or declines.
local function on_join_request(request)
  local chat_id = request.chat.id
  local values = settings.all(chat_id)
  if not values["captcha.on"] then return end
  local t = i18n.for_chat(chat_id)
  local user_id = request.from.id
  local question, answer, choices = challenge(t, values)
  local record = { answer = answer, request = true, name = mod.name(request.from) }
  remember(chat_id, user_id, record, values["captcha.time"])
  local text = t("captcha.request", { chat = request.chat.title or "", question = question,
    seconds = values["captcha.time"] })
  bot.send(request.user_chat_id or user_id, text, { reply_markup = keyboard(chat_id, user_id, choices) })
end

local function fail(chat_id, user_id, record, why)
  forget(chat_id, user_id)
  if record.request then
    bot.api("declineChatJoinRequest", { chat_id = chat_id, user_id = user_id })
  else
    bot.kick(chat_id, user_id)
    local ids = {}
    for _, id in ipairs({ record.join_message or false, record.challenge or false }) do
      if id then ids[#ids + 1] = id end
    end
    if #ids > 0 then bot.delete(chat_id, ids) end
  end
  local target = (record.name or "?") .. " (" .. user_id .. ")"
  mod.log({ id = chat_id }, { action = "captcha", target = target, reason = why })
end

local function pass(chat_id, user_id, record)
  forget(chat_id, user_id)
  if record.request then
    -- The approval brings a join message; this user has answered already.
    redis:set(keys.chat(chat_id, "captcha_passed", tostring(user_id)), "1", "EX", 300)
    bot.api("approveChatJoinRequest", { chat_id = chat_id, user_id = user_id })
  else
    bot.restrict(chat_id, user_id, punish.ALL_PERMISSIONS, nil)
    if record.challenge then bot.delete(chat_id, record.challenge) end
  end
end

local function on_button(query)
  local chat, user, choice = (query.data or ""):match("^captcha:(%-?%d+):(%d+):(%w+)$")
  if not chat then return end
  local chat_id, user_id = math.tointeger(tonumber(chat)), math.tointeger(tonumber(user))
  local t = i18n.for_chat(chat_id)
  if query.from.id ~= user_id then
    bot.answer_callback(query.id, t("captcha.not_yours"), { show_alert = true })
    return
  end
  local raw = redis:get(pending_key(chat_id, user_id))
  if not raw then
    bot.answer_callback(query.id, t("captcha.expired"))
    return
  end
  local record = json.decode(raw)
  if choice == record.answer then
    pass(chat_id, user_id, record)
    bot.answer_callback(query.id, t("captcha.passed"))
  else
    fail(chat_id, user_id, record, i18n.t(chat_id, "captcha.wrong_reason"))
    bot.answer_callback(query.id, t("captcha.failed"))
  end
end

--- Every second: whoever's time ran out fails.
local function expire()
  local now = os.time()
  for _, member in ipairs(redis:zrangebyscore(deadlines_key(), "-inf", now) or {}) do
    local chat, user = member:match("^(%-?%d+):(%d+)$")
    local chat_id, user_id = math.tointeger(tonumber(chat)), math.tointeger(tonumber(user))
    local raw = chat_id and redis:get(pending_key(chat_id, user_id))
    if raw then
      fail(chat_id, user_id, json.decode(raw), i18n.t(chat_id, "captcha.timeout_reason"))
    else
      redis:zrem(deadlines_key(), member)
    end
  end
end

local function configure(msg, t, args)
  local word, rest = mod.first_word(args)
  if not word then
    local v = settings.all(msg.chat.id)
    return t("captcha.status", { state = t(v["captcha.on"] and "common.on" or "common.off"),
      mode = v["captcha.mode"], seconds = v["captcha.time"] })
  end
  local stored, problem
  if word == "on" or word == "off" then
    stored, problem = settings.set(msg.chat.id, "captcha.on", word)
  elseif word == "mode" then
    stored, problem = settings.set(msg.chat.id, "captcha.mode", rest)
  elseif word == "time" then
    stored, problem = settings.set(msg.chat.id, "captcha.time", rest)
  elseif word == "question" then
    local question, options = rest:match("^(.-)%s*|%s*(.+)$")
    if not question or question == "" or not options:find("|", 1, true) then return t("captcha.question_usage") end
    settings.set(msg.chat.id, "captcha.question", question)
    settings.set(msg.chat.id, "captcha.answer", options)
    stored, problem = settings.set(msg.chat.id, "captcha.mode", "question")
  else
    return t("captcha.usage")
  end
  if stored == nil then return problem end
  return t("captcha.saved") .. "\n" .. configure(msg, t, "")
end

return {
  description = "Makes newcomers prove they are human before they can write.",
  usage = {
    "/captcha: the current settings",
    "/captcha on|off",
    "/captcha mode button|math|question",
    "/captcha time SECONDS (15-3600, default 120)",
    "/captcha question TEXT | right answer | wrong answer | …",
  },
  patterns = { "^[!/#]captcha$", "^[!/#]captcha%s+(.+)$" },
  pre_process = on_join,
  on = { callback_query = on_button, chat_join_request = on_join_request },
  cron = expire,
  cron_interval = 1,
  run = function(msg, matches)
    local t = i18n.for_chat(msg.chat.id)
    if msg.chat.type == "private" then return t("common.groups_only") end
    if not is_admin(msg) then return nil end
    return configure(msg, t, matches[1] or "")
  end,
}
