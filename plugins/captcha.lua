-- Join verification: a newcomer is restricted and must answer a challenge in the group within T seconds;
-- a join request gets it privately. The right answer lets them in; a wrong one, or none in time, removes
-- them (or declines the request) and cleans up. Modes: button ("I am human"), math (3 + 4 = ?), question
-- (the admins' own, answered with buttons, or typed when no wrong answers are given).
local i18n = require("i18n")
local mod = require("moderation")
local punish = require("punish")
local settings = require("settings")

-- A typed answer needs the right to send text; nothing else.
local TEXT_ONLY = {}
for name in pairs(punish.NO_PERMISSIONS) do TEXT_ONLY[name] = false end
TEXT_ONLY.can_send_messages = true

local MAX_LABEL = 56 -- bytes: "captcha:" + label fits the 64 bytes of callback_data
local MAX_QUESTION = 1000 -- bytes: with the greeting around it, far under Telegram's 4096 characters

-- The challenge of one user in one chat: JSON { answer, typed, request, name, join_message, challenge, where }.
local function pending_key(chat_id, user_id) return keys.chat(chat_id, "captcha", tostring(user_id)) end
-- Every challenge's deadline: member "chat:user", score the Unix time it runs out.
local function deadlines_key() return keys.global("captcha_deadlines") end
-- A challenge message → "chat:user" it is for (the chat is the user's private chat for join requests).
local function message_key(where, message_id) return keys.chat(where, "captcha_message", tostring(message_id)) end
-- The group a user's pending join request is for, so an answer typed in private finds it.
local function request_key(user_id) return keys.global("captcha_request", tostring(user_id)) end
local function passed_key(chat_id, user_id) return keys.chat(chat_id, "captcha_passed", tostring(user_id)) end
local function left_key(chat_id, user_id) return keys.chat(chat_id, "captcha_left", tostring(user_id)) end
-- Who has a challenge running in a chat: a set the host caches, so an ordinary message costs no lookup.
local function pending_set(chat_id) return keys.chat(chat_id, "captcha_pending") end

local function escape(text) return (text:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;")) end
local function normalize(text) return ((text or ""):lower():gsub("%s+", " "):match("^ ?(.-) ?$")) end

--- "a | b | c" → { "a", "b", "c" }, trimmed, empty parts dropped.
local function split(text)
  local parts = {}
  for part in (text or ""):gmatch("[^|]+") do
    part = part:match("^%s*(.-)%s*$")
    if part ~= "" then parts[#parts + 1] = part end
  end
  return parts
end

local function shuffle(list)
  for i = #list, 2, -1 do
    local j = math.random(i)
    list[i], list[j] = list[j], list[i]
  end
  return list
end

--- The question, the right answer and the buttons ({ label } each, the label is the answer; nil: typed).
local function challenge(t, values)
  local mode = values["captcha.mode"]
  if mode == "math" then
    local a, b = math.random(2, 9), math.random(2, 9)
    local right, choices, seen = a + b, {}, {}
    seen[right], choices[1] = true, tostring(right)
    while #choices < 4 do
      local wrong = right + math.random(-5, 5)
      if wrong > 0 and not seen[wrong] then
        seen[wrong], choices[#choices + 1] = true, tostring(wrong)
      end
    end
    return t("captcha.math", { a = a, b = b }), tostring(right), shuffle(choices)
  end
  if mode == "question" and values["captcha.question"] ~= "" and values["captcha.answer"] ~= "" then
    local question, answer = escape(values["captcha.question"]), values["captcha.answer"]
    local decoys = split(values["captcha.decoys"])
    if #decoys == 0 then return question .. "\n" .. t("captcha.type_it"), normalize(answer), nil end
    table.insert(decoys, 1, answer)
    return question, answer, shuffle(decoys)
  end
  return t("captcha.button"), "human", { { t("captcha.human"), "human" } }
end

local function keyboard(choices)
  if not choices then return nil end
  local rows, row = {}, {}
  for _, choice in ipairs(choices) do
    local label, token = choice, choice
    if type(choice) == "table" then label, token = choice[1], choice[2] end
    row[#row + 1] = { text = label, callback_data = "captcha:" .. token }
    -- Short answers side by side, long ones one per row.
    if #label > 12 or #row == 4 then
      rows[#rows + 1], row = row, {}
    end
  end
  if #row > 0 then rows[#rows + 1] = row end
  return { inline_keyboard = rows }
end

local function remember(chat_id, user_id, record, seconds)
  redis:set(pending_key(chat_id, user_id), json.encode(record), "EX", seconds + 3600)
  redis:sadd(pending_set(chat_id), tostring(user_id))
  redis:zadd(deadlines_key(), os.time() + seconds, chat_id .. ":" .. user_id)
end

--- Takes a challenge out of play; true for the one caller that found it (a press, a time-out, a leave).
local function claim(chat_id, user_id)
  redis:zrem(deadlines_key(), chat_id .. ":" .. user_id)
  redis:srem(pending_set(chat_id), tostring(user_id))
  return redis:del(pending_key(chat_id, user_id)) == 1
end

local function pending(chat_id, user_id)
  if not redis:sismember(pending_set(chat_id), tostring(user_id)) then return nil end
  local raw = redis:get(pending_key(chat_id, user_id))
  if not raw then redis:srem(pending_set(chat_id), tostring(user_id)) end
  return raw and json.decode(raw) or nil
end

--- Notes which message carries a challenge, once Telegram has said its id.
local function attach(chat_id, user_id, where, message_id, seconds)
  local record = pending(chat_id, user_id)
  if not record then
    -- Answered or gone before the challenge came back: it is of no use any more.
    bot.delete(where, message_id)
    return
  end
  record.challenge, record.where = message_id, where
  redis:set(pending_key(chat_id, user_id), json.encode(record), "KEEPTTL")
  redis:set(message_key(where, message_id), chat_id .. ":" .. user_id, "EX", seconds + 3600)
end

--- Deletes a newcomer's join message and their challenge, in one call.
local function delete_messages(chat_id, record)
  local ids = {}
  if record.join_message then ids[#ids + 1] = record.join_message end
  if record.challenge then ids[#ids + 1] = record.challenge end
  if #ids > 0 then bot.delete(chat_id, ids) end
end

local function fail(chat_id, user_id, record, why)
  local t = i18n.for_chat(chat_id)
  if record.request then
    bot.api("declineChatJoinRequest", { chat_id = chat_id, user_id = user_id })
    redis:del(request_key(user_id))
    if record.challenge then bot.edit(record.where, record.challenge, t("captcha.declined")) end
  else
    bot.kick(chat_id, user_id)
    delete_messages(chat_id, record)
  end
  local target = (record.name or "?") .. " (" .. user_id .. ")"
  mod.log({ id = chat_id }, { action = "captcha", target = target, reason = why })
end

local function pass(chat_id, user_id, record)
  if record.request then
    -- The approval brings a join message: this user has answered already.
    redis:set(passed_key(chat_id, user_id), "1", "EX", 600)
    redis:del(request_key(user_id))
    bot.api("approveChatJoinRequest", { chat_id = chat_id, user_id = user_id })
    if record.challenge then
      bot.edit(record.where, record.challenge, i18n.t(chat_id, "captcha.approved"))
    end
  else
    bot.restrict(chat_id, user_id, punish.ALL_PERMISSIONS, nil)
    if record.challenge then bot.delete(chat_id, record.challenge) end
  end
end

--- Restricts a newcomer and posts the challenge in the group.
local function verify(msg, member, values)
  local chat_id, t, seconds = msg.chat.id, i18n.for_chat(msg.chat.id), values["captcha.time"]
  local question, answer, choices = challenge(t, values)
  remember(chat_id, member.id, { answer = answer, typed = choices == nil, join_message = msg.message_id,
    name = mod.name(member) }, seconds)
  bot.restrict(chat_id, member.id, choices and punish.NO_PERMISSIONS or TEXT_ONLY, nil)
  local mention = '<a href="tg://user?id=' .. member.id .. '">' .. escape(mod.name(member)) .. "</a>"
  local text = t("captcha.prompt", { mention = mention, question = question, seconds = seconds })
  bot.send(chat_id, text, { parse_mode = "HTML", reply_markup = keyboard(choices) }, function(ok, result)
    if ok then return attach(chat_id, member.id, chat_id, result.message_id, seconds) end
    -- Nobody can answer a challenge that was never shown: let them in rather than remove them later.
    if claim(chat_id, member.id) then bot.restrict(chat_id, member.id, punish.ALL_PERMISSIONS, nil) end
    log.warn("captcha not sent in " .. chat_id .. ": " .. tostring(result and result.description))
  end)
end

local function on_join(msg, values)
  -- During an anti-raid lockdown newcomers are muted anyway; a challenge each would only flood the chat.
  if redis:exists(keys.chat(msg.chat.id, "raid", "lockdown")) then return end
  local chat_id = msg.chat.id
  for _, member in ipairs(msg.new_chat_members or {}) do
    local by_admin = msg.from and msg.from.id ~= member.id and is_admin(msg)
    local answered = redis:del(passed_key(chat_id, member.id)) == 1
    local came_back = redis:del(left_key(chat_id, member.id)) == 1
    if member.id ~= our_id and not (member.is_bot and by_admin) and not answered
      and role_in(chat_id, member.id) == "member" then
      -- Someone muted before (Telegram keeps restrictions across a rejoin) must not be unmuted by answering;
      -- unless the restriction is the captcha's own from before they left.
      bot.api("getChatMember", { chat_id = chat_id, user_id = member.id }, function(ok, result)
        local muted = ok and result.status == "restricted" and result.can_send_messages == false
        if not muted or came_back then verify(msg, member, values) end
      end)
    end
  end
end

--- A pending newcomer who leaves takes their challenge with them.
local function on_leave(msg)
  local user = msg.left_chat_member
  local record = user and pending(msg.chat.id, user.id)
  if not record or record.request or not claim(msg.chat.id, user.id) then return end
  -- Their restriction outlives the leave; if they come back, they are asked again.
  redis:set(left_key(msg.chat.id, user.id), "1", "EX", 30 * 86400)
  delete_messages(msg.chat.id, record)
end

--- A pending newcomer's messages: a typed answer is checked; anything else is deleted.
local function on_message(msg)
  if not msg.from then return msg end
  local chat_id, user_id = msg.chat.id, msg.from.id
  if msg.chat.type == "private" then
    chat_id = math.tointeger(tonumber(redis:get(request_key(user_id)) or ""))
    if not chat_id or not msg.text or msg.command then return msg end
  end
  local record = pending(chat_id, user_id)
  if not record or (msg.chat.type ~= "private") == (record.request == true) then return msg end
  if record.typed and normalize(msg.text or msg.caption) == record.answer then
    if claim(chat_id, user_id) then pass(chat_id, user_id, record) end
    if msg.chat.type ~= "private" then bot.delete(chat_id, msg.message_id) end
    return nil
  end
  if msg.chat.type == "private" then
    bot.reply(msg, i18n.t(chat_id, "captcha.try_again"))
  else
    bot.delete(chat_id, msg.message_id)
  end
  return nil
end

local function pre_process(msg)
  local group = msg.chat.type == "group" or msg.chat.type == "supergroup"
  if msg.service_action == "join" and group then
    local values = settings.all(msg.chat.id)
    if values["captcha.on"] then on_join(msg, values) end
    return msg
  end
  if msg.service_action == "leave" and group then
    on_leave(msg)
    return msg
  end
  if msg.service or (not group and msg.chat.type ~= "private") then return msg end
  return on_message(msg)
end

--- Telegram join requests: the question goes to the user privately; the answer approves or declines.
local function on_join_request(request)
  local chat_id, user_id = request.chat.id, request.from.id
  local values = settings.all(chat_id)
  if not values["captcha.on"] then return end
  if role_in(chat_id, user_id) ~= "member" then
    bot.api("approveChatJoinRequest", { chat_id = chat_id, user_id = user_id })
    return
  end
  local t, seconds = i18n.for_chat(chat_id), values["captcha.time"]
  local question, answer, choices = challenge(t, values)
  remember(chat_id, user_id, { answer = answer, typed = choices == nil, request = true,
    name = mod.name(request.from) }, seconds)
  redis:set(request_key(user_id), tostring(chat_id), "EX", seconds + 60)
  local where = request.user_chat_id or user_id
  local text = t("captcha.request", { chat = escape(request.chat.title or ""), question = question, seconds = seconds })
  bot.send(where, text, { parse_mode = "HTML", reply_markup = keyboard(choices) }, function(ok, result)
    if ok then attach(chat_id, user_id, where, result.message_id, seconds) end
  end)
end

local function on_button(query)
  local token = (query.data or ""):match("^captcha:(.+)$")
  local message = query.message
  if not token or not message or not message.chat then return end
  local where = message.chat.id
  local chat, user = (redis:get(message_key(where, message.message_id)) or ""):match("^(%-?%d+):(%d+)$")
  -- Right after the challenge went out its id may not be noted yet: then only its newcomer can press it.
  local chat_id = math.tointeger(tonumber(chat)) or where
  local user_id = math.tointeger(tonumber(user)) or query.from.id
  local t = i18n.for_chat(chat_id)
  if query.from.id ~= user_id then
    bot.answer_callback(query.id, t("captcha.not_yours"), { show_alert = true })
    return
  end
  local record = pending(chat_id, user_id)
  if not record or (record.challenge and record.challenge ~= message.message_id) or not claim(chat_id, user_id) then
    bot.answer_callback(query.id, t("captcha.expired"))
    return
  end
  if token == record.answer then
    pass(chat_id, user_id, record)
    bot.answer_callback(query.id, t(record.request and "captcha.approved" or "captcha.passed"))
  else
    fail(chat_id, user_id, record, t("captcha.wrong_reason"))
    bot.answer_callback(query.id, t("captcha.failed"))
  end
end

--- Every second, on each worker for the chats it handles: whoever's time ran out fails.
local function expire()
  for _, member in ipairs(redis:zrangebyscore(deadlines_key(), "-inf", os.time()) or {}) do
    local chat_id, user_id = member:match("^(%-?%d+):(%d+)$")
    chat_id, user_id = math.tointeger(tonumber(chat_id)), math.tointeger(tonumber(user_id))
    -- Another worker's chat is left to that worker, so it fails in order with the chat's updates.
    if not chat_id or shard.owns(chat_id) then
      local record = chat_id and pending(chat_id, user_id)
      if record and claim(chat_id, user_id) then
        fail(chat_id, user_id, record, i18n.t(chat_id, "captcha.timeout_reason"))
      else
        redis:zrem(deadlines_key(), member)
      end
    end
  end
end

--- "/captcha question TEXT | ANSWER | WRONG | …": stores the question; nil, or why it was refused.
local function set_question(chat_id, t, rest)
  local parts = split(rest)
  if #parts < 2 then return t("captcha.question_usage") end
  -- The challenge carries the question; Telegram refuses messages over 4096 characters.
  if #parts[1] > MAX_QUESTION then return t("captcha.question_too_long", { max = MAX_QUESTION }) end
  local seen = {}
  for index = 2, #parts do
    if #parts > 2 and #parts[index] > MAX_LABEL then return t("captcha.too_long", { max = MAX_LABEL }) end
    if seen[normalize(parts[index])] then return t("captcha.duplicate", { answer = parts[index] }) end
    seen[normalize(parts[index])] = true
  end
  settings.set(chat_id, "captcha.question", parts[1])
  settings.set(chat_id, "captcha.answer", parts[2])
  settings.set(chat_id, "captcha.decoys", table.concat(parts, " | ", 3))
  settings.set(chat_id, "captcha.mode", "question")
  return nil
end

local function status(chat_id, t)
  local v = settings.all(chat_id)
  local text = t("captcha.status", { state = t(v["captcha.on"] and "common.on" or "common.off"),
    mode = v["captcha.mode"], seconds = v["captcha.time"] })
  if v["captcha.question"] ~= "" then
    local decoys = #split(v["captcha.decoys"])
    text = text .. "\n" .. t(decoys > 0 and "captcha.question_buttons" or "captcha.question_typed",
      { question = v["captcha.question"], count = decoys + 1 })
  end
  if v["captcha.mode"] == "question" and v["captcha.question"] == "" then
    text = text .. "\n" .. t("captcha.no_question")
  end
  return text
end

local function configure(msg, t, args)
  local chat_id = msg.chat.id
  local word, rest = mod.first_word(args)
  word = word and word:lower()
  local stored, problem
  if not word then
    return status(chat_id, t)
  elseif word == "on" or word == "off" then
    stored, problem = settings.set(chat_id, "captcha.on", word)
  elseif word == "mode" then
    stored, problem = settings.set(chat_id, "captcha.mode", rest:lower())
  elseif word == "time" then
    stored, problem = settings.set(chat_id, "captcha.time", rest)
  elseif word == "question" then
    problem = set_question(chat_id, t, rest)
    stored = not problem
  else
    return t("captcha.usage")
  end
  if stored == nil or problem then return problem end
  return t("captcha.saved") .. "\n" .. status(chat_id, t)
end

return {
  description = "Makes newcomers prove they are human before they can write.",
  usage = {
    "/captcha: the current settings",
    "/captcha on|off (default off)",
    "/captcha mode button|math|question",
    "/captcha time SECONDS: time to answer (15-3600, default 120)",
    "/captcha question TEXT | ANSWER: the newcomer types the answer",
    "/captcha question TEXT | ANSWER | WRONG | …: the answers become buttons",
  },
  patterns = { "^[!/#]captcha$", "^[!/#]captcha%s+(.+)$" },
  pre_process = pre_process,
  on = { callback_query = on_button, chat_join_request = on_join_request },
  cron = expire,
  cron_interval = 1,
  cron_per_shard = true,
  run = function(msg)
    local t = i18n.for_chat(msg.chat.type ~= "private" and msg.chat.id or nil)
    if msg.chat.type == "private" then return t("common.groups_only") end
    if not is_admin(msg) then return nil end
    return configure(msg, t, msg.args or "")
  end,
}
