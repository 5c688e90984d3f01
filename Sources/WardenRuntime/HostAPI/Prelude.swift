/// The Lua half of the host API. It runs once per state, in the real global
/// table, over a few Swift primitives (`host.*`), and returns `make_api(name)`:
/// the table of globals one plugin sees (copied into its sandbox).
///
/// Written in Lua because it is mostly argument shuffling and yagop/tg-cli
/// compatibility, which reads best in the language the plugins are written in.
enum Prelude {
    static let chunkName = "=warden-prelude"

    static let source = #"""
        local host, settings = ...
        local type, tostring, tonumber, select, error, pairs, ipairs, next =
          type, tostring, tonumber, select, error, pairs, ipairs, next
        local setmetatable, rawget, concat, floor = setmetatable, rawget, table.concat, math.floor
        local string_methods = settings.string_methods
        local bot_info = settings.bot

        -- tg-cli's msg.to, built when a plugin first reads it (the shipped plugins never do, and building it
        -- for every message was a fifth of the message table's time): the chat with `type` "chat" (groups)
        -- or "channel" (supergroups, channels), or in a private chat the bot itself, "user"; each with a
        -- print_name. The host gives every message table this metatable, locked like the strings' one.
        local function underscored(name) return (name:gsub(" ", "_")) end
        host.message_meta = {
          __index = function(msg, key)
            if key ~= "to" then return nil end
            local chat = rawget(msg, "chat")
            if type(chat) ~= "table" then return nil end
            local to
            if chat.type == "private" then
              to = { id = bot_info.id, is_bot = true, first_name = bot_info.first_name, username = bot_info.username,
                type = "user", print_name = underscored(bot_info.first_name) }
            else
              to = {}
              for k, v in next, chat do to[k] = v end
              to.type = chat.type == "group" and "chat" or "channel"
              to.print_name = type(chat.title) == "string" and underscored(chat.title) or ""
            end
            rawset(msg, "to", to)
            return to
          end,
          __metatable = false,
        }

        -- yagop's string helpers, shared by every string.
        function string_methods.trim(s) return (s:gsub("^%s*(.-)%s*$", "%1")) end
        function string_methods.isempty(s) return s == nil or s == "" end
        function string_methods.split(s, separator)
          separator = separator or "%s"
          local parts = {}
          for part in s:gmatch("([^" .. separator .. "]+)") do parts[#parts + 1] = part end
          return parts
        end
        function string_methods.starts(s, prefix) return s:sub(1, #prefix) == prefix end

        -- Read-only views (config): every level is a fresh proxy, so nothing is shared mutably.
        -- The top level is left unlocked only so the sandbox can copy it (and lock the copy).
        local function readonly(t, unlocked)
          if type(t) ~= "table" then return t end
          return setmetatable({}, {
            __index = function(_, k) return readonly(t[k]) end,
            __newindex = function() error("config is read-only", 2) end,
            __pairs = function()
              return function(_, k)
                local nk, nv = next(t, k)
                return nk, readonly(nv)
              end, nil, nil
            end,
            __len = function() return #t end,
            __metatable = not unlocked and false or nil,
          })
        end

        local function deep_copy(t)
          if type(t) ~= "table" then return t end
          local c = {}
          for k, v in pairs(t) do c[k] = deep_copy(v) end
          return c
        end

        -- Accept json.decode(s) and yagop's json:decode(s) alike (each plugin has its own copy of json).
        local json = {}
        local function is_json_table(t) return type(t) == "table" and rawget(t, "decode") == json.decode end
        json.encode = function(a, b) if is_json_table(a) then a = b end return host.json_encode(a) end
        json.decode = function(a, b) if is_json_table(a) then a = b end return host.json_decode(a) end

        ---------------------------------------------------------------- redis
        -- redis-lua's reply conventions: booleans for 0/1 answers, true for OK.
        local boolean_commands = {
          exists = true, sismember = true, hexists = true, expire = true, expireat = true, pexpire = true,
          pexpireat = true, persist = true, setnx = true, hsetnx = true, msetnx = true, move = true,
          renamenx = true, smove = true,
        }
        local function map_status(reply)
          if type(reply) == "table" and reply.ok ~= nil and #reply == 0 then
            if reply.ok == "OK" or reply.ok == "PONG" then return true end
            return reply.ok
          end
          return reply
        end
        local function flatten_table_argument(command, args)
          -- redis:hmset(key, {field = value}) and redis:mset({k = v}) as redis-lua allows.
          local last = args[#args]
          if type(last) ~= "table" then return args end
          local flat = {}
          for i = 1, #args - 1 do flat[#flat + 1] = args[i] end
          for k, v in pairs(last) do flat[#flat + 1] = k; flat[#flat + 1] = v end
          return flat
        end
        local flattened = { hmset = true, mset = true, msetnx = true, hset = true }
        local function flat_args(command, args)
          if flattened[command] then return flatten_table_argument(command, args) end
          return args
        end
        local function convert(command, reply)
          if boolean_commands[command] then return reply == 1 end
          if command == "hgetall" and type(reply) == "table" then
            local map = {}
            for i = 1, #reply, 2 do map[reply[i]] = reply[i + 1] end
            return map
          end
          return map_status(reply)
        end
        -- Copies of the read cache's small keys (a chat's pending captchas, the global ban list: read whole by
        -- the cache) and of keys' stamps, answering the checks run on every message without a host call.
        -- Before every answer the cache's generation is read (a C function, not a host call): once it has
        -- moved, the keys changed since are dropped, so a copy is never older than the cache's own reply.
        -- Only strings and booleans are handed out: nothing a plugin could change in place.
        local cache_generation = host.cache_generation
        local copies, stamps, copied, synced_at = {}, {}, 0, nil
        -- Reads and stamps answered from the copies, for the host's figures.
        local copy_answers = 0
        function host.copy_answers() return copy_answers end
        -- Called when the cache's generation has moved since `synced_at` (the callers compare first: the
        -- comparison runs several times a message, the call seldom).
        local function sync_copies()
          local generation, changed = host.cache_changes(synced_at)
          if changed == true then
            copies, stamps, copied = {}, {}, 0
          else
            for i = 1, #changed do
              copies[changed[i]], stamps[changed[i]] = nil, nil
            end
          end
          synced_at = generation
        end
        -- Forgotten all at once past this many members and stamps, so a bot in many chats keeps the busy ones.
        local copies_limit = 50000
        local function make_room(members)
          if copied + members > copies_limit then copies, stamps, copied = {}, {}, 0 end
          copied = copied + members
        end
        -- The reads a copy answers, and the kind of key they read.
        local copied_commands = { hget = "hash", hexists = "hash", sismember = "set" }
        local function read_copy(command, key, member)
          if cache_generation() ~= synced_at then sync_copies() end
          local copy = copies[key]
          if copy and (copy.kind == copied_commands[command] or copy.kind == "none") then
            local value = copy.members[member]
            copy_answers = copy_answers + 1
            if command == "hget" then return value end
            return value ~= nil
          end
          local reply, whole = host.redis_copy(command, key, member)
          if whole then
            local members = 1
            for _ in next, whole.members do members = members + 1 end
            -- Kept as of the generation read before the call: a write landing since is dropped at the next sync.
            make_room(members)
            copies[key] = whole
          end
          return convert(command, reply)
        end
        local function redis_command(command, ...)
          -- The common case goes straight through, without a table: reads run on every message.
          local count = select("#", ...)
          if count == 2 and cache_generation and copied_commands[command] then
            local key, member = ...
            if type(key) == "string" and type(member) == "string" then return read_copy(command, key, member) end
          end
          if not flattened[command] and (count == 0 or select(count, ...) ~= nil) then
            return convert(command, host.redis(command, ...))
          end
          local args = flat_args(command, { ... })
          return convert(command, host.redis(command, table.unpack(args, 1, #args)))
        end
        -- redis:pipeline(function(p) p:rpush(k, v); p:expire(k, 5) end), or a list of { "rpush", k, v }:
        -- every command in one round trip; returns the replies in order.
        local function pipeline(_, commands)
          if type(commands) == "function" then
            local build, queued = commands, {}
            local recorder = setmetatable({}, {
              __index = function(_, name)
                return function(_, ...) queued[#queued + 1] = { tostring(name), ... } end
              end,
            })
            build(recorder)
            commands = queued
          end
          if type(commands) ~= "table" then error("redis:pipeline: a function or a list of commands expected", 2) end
          local sent = {}
          for i, command in ipairs(commands) do
            if type(command) ~= "table" then error("redis:pipeline: command " .. i .. " is not a list", 2) end
            local name = tostring(command[1]):lower()
            local args = flat_args(name, { table.unpack(command, 2, #command) })
            sent[i] = { name, table.unpack(args, 1, #args) }
          end
          local replies = host.redis_pipeline(sent)
          for i, command in ipairs(sent) do
            local reply = replies[i]
            if reply == false then reply = nil end
            replies[i] = convert(command[1], reply)
            if replies[i] == nil then replies[i] = false end
          end
          return replies
        end
        local redis_proto = {
          call = function(_, command, ...) return redis_command(tostring(command):lower(), ...) end,
          pipeline = pipeline,
          -- A number that changes whenever a cached key (settings, blocklist, …) may have changed, or with
          -- keys given, whenever one of those may have; nil while the read cache is off. What is derived
          -- from cached reads may be kept while it stays the same.
          cache_stamp = function(_, ...)
            local key = ...
            if not cache_generation or select("#", ...) ~= 1 or type(key) ~= "string" then
              return host.cache_stamp(...)
            end
            if cache_generation() ~= synced_at then sync_copies() end
            local stamp = stamps[key]
            if stamp ~= nil then
              copy_answers = copy_answers + 1
              return stamp
            end
            stamp = host.cache_stamp(key)
            if stamp ~= nil then
              make_room(1)
              stamps[key] = stamp
            end
            return stamp
          end,
        }
        local redis_meta = {
          __index = function(self, name)
            if type(name) ~= "string" then return nil end
            local command = name:lower()
            local method = function(_, ...) return redis_command(command, ...) end
            rawset(self, name, method)
            return method
          end,
        }
        local function new_redis()
          local proxy = setmetatable({}, redis_meta)
          for k, v in pairs(redis_proto) do proxy[k] = v end
          return proxy
        end

        -- Warden's own key schema, for plugins that want namespaced keys.
        local key_part = "^[%w_%-%.]+$"
        local math_type = math.type
        -- Parts seen valid already: a key is built for nearly every read, mostly from the same few words.
        local valid_parts, valid_count = {}, 0
        -- Errors point at the plugin (level 4: through joined_parts or a state function, and the key function).
        local function check_part(part)
          if math_type(part) == "integer" then return tostring(part) end
          if valid_parts[part] then return part end
          part = tostring(part)
          if not part:match(key_part) then error("invalid key part '" .. part .. "'", 4) end
          if valid_count >= 1000 then valid_parts, valid_count = {}, 0 end
          valid_parts[part], valid_count = true, valid_count + 1
          return part
        end
        -- "a:b" for the parts; one and two parts (nearly every key) without a table.
        local function joined_parts(...)
          local count = select("#", ...)
          if count == 0 then return "" end
          local first, second = ...
          if count == 1 then return (check_part(first)) end -- parenthesised: a tail call would skip a level
          if count == 2 then return check_part(first) .. ":" .. check_part(second) end
          local parts = {}
          for i = 1, count do parts[i] = check_part((select(i, ...))) end
          return concat(parts, ":")
        end
        -- Keys of no part or one (nearly every key a plugin reads, on every message) are built once: by chat
        -- id, then part ("" for the chat's own key); global ones by part. Forgotten all at once past 20,000.
        local chat_keys, global_keys, known_keys = {}, {}, 0
        local function remember_key(keys_by_part, part, key)
          if known_keys >= 20000 then chat_keys, global_keys, known_keys = {}, {}, 0 end
          known_keys = known_keys + 1
          keys_by_part[part] = key
          return key
        end
        local function chat_key(chat_id, ...)
          local count, part = select("#", ...), ...
          if count == 0 then part = "" end
          local memo = count <= 1 and part ~= nil and chat_keys[chat_id]
          if memo and memo[part] then return memo[part] end
          local id = math.tointeger(tonumber(chat_id))
          if not id then error("chat id must be an integer", 2) end
          local base = settings.prefix .. "{chat:" .. id .. "}"
          local key = count == 0 and base or base .. ":" .. joined_parts(...)
          if count > 1 or part == nil then return key end
          if not memo then
            memo = {}
            chat_keys[chat_id] = memo
          end
          return remember_key(memo, part, key)
        end
        local function global_key(...)
          local count, part = select("#", ...), ...
          if count == 1 and part ~= nil and global_keys[part] then return global_keys[part] end
          local key = settings.prefix .. joined_parts(...)
          if count ~= 1 or part == nil then return key end
          return remember_key(global_keys, part, key)
        end

        ---------------------------------------------------------------- peers
        -- Receivers: numbers, "user#id<N>", "chat#id<N>", "channel#id<N>" (tg-cli), "@username".
        local function resolve_peer(peer)
          if type(peer) == "number" then return peer end
          if type(peer) == "table" then return peer.id or (peer.chat and peer.chat.id) end
          if type(peer) ~= "string" then error("bad receiver: " .. tostring(peer), 3) end
          local kind, number = peer:match("^(%a+)#id(%-?%d+)$")
          if kind then
            local id = math.tointeger(tonumber(number))
            if kind == "user" then return id end
            if kind == "chat" then return id > 0 and -id or id end
            if kind == "channel" then return id > 0 and -(1000000000000 + id) or id end
            error("bad receiver: " .. peer, 3)
          end
          if peer:match("^%-?%d+$") then return math.tointeger(tonumber(peer)) end
          if peer:match("^@[%w_]+$") then return peer end
          error("bad receiver: " .. peer, 3)
        end
        -- A user: as above, but "@username" is looked up in the users-seen cache (users have no @ chat id).
        local function resolve_user(peer)
          if type(peer) == "string" and peer:match("^@[%w_]+$") then
            local id = host.user_id(peer)
            if not id then error("unknown user " .. peer .. " (not seen by the bot yet)", 3) end
            return id
          end
          return resolve_peer(peer)
        end

        ---------------------------------------------------------------- bot
        -- Every action returns at once; an optional last argument callback(ok, result) runs later.
        local function split_callback(opts, callback)
          if type(opts) == "function" then return nil, opts end
          return opts, callback
        end
        -- A message's text: numbers and the like as text, but nil is a plugin's mistake, not the word "nil".
        local function message_text(text, caller)
          if text == nil then error(caller .. ": text is nil", 3) end
          return tostring(text)
        end
        local function merge(into, opts)
          if type(opts) == "table" then for k, v in pairs(opts) do if into[k] == nil then into[k] = v end end end
          return into
        end

        local function make_bot(plugin)
          local function api(method, params, callback)
            if type(params) == "function" then params, callback = nil, params end
            return host.api(plugin, method, params or {}, callback)
          end
          local bot = { api = api, id = bot_info.id, username = bot_info.username }
          function bot.send(chat_id, text, opts, callback)
            opts, callback = split_callback(opts, callback)
            local params = { chat_id = resolve_peer(chat_id), text = message_text(text, "bot.send") }
            return api("sendMessage", merge(params, opts), callback)
          end
          function bot.reply(msg, text, opts, callback)
            opts, callback = split_callback(opts, callback)
            local params = merge({ chat_id = msg.chat.id, text = message_text(text, "bot.reply"),
              reply_parameters = { message_id = msg.message_id, allow_sending_without_reply = true } }, opts)
            return api("sendMessage", params, callback)
          end
          function bot.delete(chat_id, message_ids, callback)
            if type(message_ids) == "table" then
              return api("deleteMessages", { chat_id = resolve_peer(chat_id), message_ids = message_ids }, callback)
            end
            return api("deleteMessage", { chat_id = resolve_peer(chat_id), message_id = message_ids }, callback)
          end
          function bot.ban(chat_id, user_id, until_date, callback)
            until_date, callback = split_callback(until_date, callback)
            return api("banChatMember", { chat_id = resolve_peer(chat_id), user_id = resolve_user(user_id),
              until_date = until_date }, callback)
          end
          function bot.unban(chat_id, user_id, callback)
            return api("unbanChatMember", { chat_id = resolve_peer(chat_id), user_id = resolve_user(user_id),
              only_if_banned = true }, callback)
          end
          function bot.kick(chat_id, user_id, callback)
            -- Telegram has no kick: a ban lifted at once removes the user and lets them rejoin.
            local chat, user = resolve_peer(chat_id), resolve_user(user_id)
            return api("banChatMember", { chat_id = chat, user_id = user }, function(ok, result)
              if not ok then
                if callback then callback(ok, result) end
                return
              end
              api("unbanChatMember", { chat_id = chat, user_id = user, only_if_banned = true }, callback)
            end)
          end
          function bot.restrict(chat_id, user_id, permissions, until_date, callback)
            until_date, callback = split_callback(until_date, callback)
            return api("restrictChatMember", { chat_id = resolve_peer(chat_id), user_id = resolve_user(user_id),
              permissions = permissions or {}, until_date = until_date }, callback)
          end
          function bot.promote(chat_id, user_id, rights, callback)
            rights, callback = split_callback(rights, callback)
            return api("promoteChatMember",
              merge({ chat_id = resolve_peer(chat_id), user_id = resolve_user(user_id) }, rights), callback)
          end
          function bot.pin(chat_id, message_id, opts, callback)
            opts, callback = split_callback(opts, callback)
            return api("pinChatMessage", merge({ chat_id = resolve_peer(chat_id), message_id = message_id }, opts),
              callback)
          end
          function bot.answer_callback(callback_query_id, text, opts, callback)
            opts, callback = split_callback(opts, callback)
            return api("answerCallbackQuery", merge({ callback_query_id = callback_query_id, text = text }, opts),
              callback)
          end
          function bot.edit(chat_id, message_id, text, opts, callback)
            opts, callback = split_callback(opts, callback)
            return api("editMessageText", merge({ chat_id = resolve_peer(chat_id), message_id = message_id,
              text = message_text(text, "bot.edit") }, opts), callback)
          end
          return bot
        end

        ---------------------------------------------------------------- roles
        local ranks = { member = 0, approved = 1, mod = 2, admin = 3, owner = 4, sudo = 5 }
        local function role_of(msg)
          if type(msg) ~= "table" or type(msg.from) ~= "table" then return "member" end
          local chat_id = msg.chat and msg.chat.id or msg.from.id
          local sender_chat = msg.sender_chat and msg.sender_chat.id or nil
          return host.role(chat_id, msg.from.id, sender_chat)
        end
        local function at_least(role) return function(msg) return ranks[role_of(msg)] >= ranks[role] end end
        local function role_in(chat_id, user_id)
          local chat, user = math.tointeger(tonumber(chat_id)), math.tointeger(tonumber(user_id))
          if not chat or not user then error("role_in(chat_id, user_id) takes two integers", 2) end
          return host.role(chat, user)
        end

        ---------------------------------------------------------------- logging
        local function stringify(...)
          local parts = {}
          for i = 1, select("#", ...) do parts[#parts + 1] = tostring((select(i, ...))) end
          return concat(parts, " ")
        end
        local function make_log(plugin)
          return {
            debug = function(...) host.log("debug", plugin, stringify(...)) end,
            info = function(...) host.log("info", plugin, stringify(...)) end,
            warn = function(...) host.log("warning", plugin, stringify(...)) end,
            error = function(...) host.log("error", plugin, stringify(...)) end,
          }
        end

        local function dump(value, indent, seen)
          indent, seen = indent or "", seen or {}
          if type(value) ~= "table" then
            return type(value) == "string" and string.format("%q", value) or tostring(value)
          end
          if seen[value] then return "<cycle>" end
          seen[value] = true
          local keys = {}
          for k in pairs(value) do keys[#keys + 1] = k end
          table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
          local lines = { "{" }
          for _, k in ipairs(keys) do
            lines[#lines + 1] = indent .. "  " .. tostring(k) .. " = " .. dump(value[k], indent .. "  ", seen) .. ","
          end
          lines[#lines + 1] = indent .. "}"
          return concat(lines, "\n")
        end

        ---------------------------------------------------------------- state
        -- Per-chat conversation state with a TTL (captchas, multi-step commands), as JSON.
        local function make_state(plugin, redis)
          local function key(chat_id, name) return chat_key(chat_id, "state", plugin, check_part(name)) end
          return {
            get = function(chat_id, name)
              local raw = redis_command("get", key(chat_id, name))
              if raw == nil then return nil end
              return json.decode(raw)
            end,
            set = function(chat_id, name, value, ttl)
              ttl = math.tointeger(ttl) or 86400
              if ttl <= 0 then error("ttl must be a positive number of seconds", 2) end
              return redis_command("set", key(chat_id, name), json.encode(value), "EX", ttl)
            end,
            delete = function(chat_id, name) return redis_command("del", key(chat_id, name)) > 0 end,
          }
        end

        ---------------------------------------------------------------- tg-cli compat
        local UTF8_CONTINUATION = "[\128-\191]"
        local function split_utf8(text, limit)
          local chunks, start = {}, 1
          while start <= #text do
            local stop = start + limit - 1
            if stop < #text then
              -- Never cut inside a UTF-8 sequence: step back over continuation bytes.
              while stop > start and text:sub(stop + 1, stop + 1):match(UTF8_CONTINUATION) do stop = stop - 1 end
            end
            chunks[#chunks + 1] = text:sub(start, stop)
            start = stop + 1
          end
          return chunks
        end

        local function make_compat(api, bot)
          local function compat_callback(callback, extra)
            if type(callback) ~= "function" then return nil end
            return function(ok, result) callback(extra, ok and 1 or 0, result) end
          end
          api.send_msg = function(receiver, text, callback, extra)
            bot.send(receiver, text, nil, compat_callback(callback, extra))
          end
          api.send_large_msg = function(receiver, text, callback, extra)
            local chunks = split_utf8(tostring(text), 4096)
            for i, chunk in ipairs(chunks) do
              bot.send(receiver, chunk, nil, i == #chunks and compat_callback(callback, extra) or nil)
            end
          end
          api.reply_msg = function(message_id, text, callback, extra)
            bot.api("sendMessage", { chat_id = host.current_chat(), text = tostring(text),
              reply_parameters = { message_id = tonumber(message_id), allow_sending_without_reply = true } },
              compat_callback(callback, extra))
          end
          api.chat_del_user = function(chat, user, callback, extra)
            bot.kick(chat, user, compat_callback(callback, extra))
          end
          api.channel_kick = api.chat_del_user
          api.delete_msg = function(message_id, callback, extra)
            bot.delete(host.current_chat(), tonumber(message_id), compat_callback(callback, extra))
          end
          api.get_receiver = function(msg)
            local chat = msg.chat or {}
            if chat.type == "private" then return "user#id" .. msg.from.id end
            if chat.type == "group" then return "chat#id" .. chat.id end
            return "channel#id" .. chat.id
          end
          api.ok_cb = function(extra, success, result) end
          api.is_chat_msg = function(msg) return msg.chat ~= nil and msg.chat.type ~= "private" end
          api.user_print_name = function(user)
            if user.print_name then return user.print_name end
            local name = user.first_name or ""
            if user.last_name then name = name .. " " .. user.last_name end
            return name
          end
          api.our_id = bot_info.id
          api.VERSION = settings.version
          api._config = deep_copy(settings.config)
          api.save_config = function() host.save_config(api._config) end
          api.postpone = function(callback, extra, seconds)
            if type(callback) ~= "function" then error("postpone: callback must be a function", 2) end
            api.after(seconds, function() callback(extra) end)
          end
        end

        ---------------------------------------------------------------- require
        -- Modules come from plugins/lib only, each in a sandbox of its own over the plugin's API, loaded once
        -- per plugin: the plugin and every module it requires share one instance of each module (and its
        -- caches), as Lua's own require would. Plugins never share modules.
        local raw_load, make_env = load, settings.make_env
        local loading = {}
        local function make_require(api)
          local loaded = {}
          return function(name)
            if type(name) ~= "string" or not name:match("^[%w_]+$") and not name:match("^[%w_]+[%.%w_]*[%w_]$") then
              error("bad module name '" .. tostring(name) .. "'", 2)
            end
            local cached = loaded[name]
            if cached == loading then error("module '" .. name .. "' is required again while it loads (a cycle)", 2) end
            if cached ~= nil then return cached end
            local source, path = host.read_lib(name)
            if not source then error(path, 2) end
            loaded[name] = loading
            local chunk, err = raw_load(source, "@" .. path, "t", make_env(api))
            if not chunk then
              loaded[name] = nil
              error(err, 2)
            end
            local ok, result = pcall(chunk, name)
            if not ok then
              loaded[name] = nil
              error(result, 0)
            end
            if result == nil then result = true end
            loaded[name] = result
            return result
          end
        end

        ---------------------------------------------------------------- the API
        local config_view = readonly(settings.config, true)

        local function make_api(plugin)
          local log = make_log(plugin)
          local bot = make_bot(plugin)
          local api = {
            bot = bot,
            redis = new_redis(),
            json = json,
            JSON = json,
            log = log,
            print = log.info,
            vardump = function(value) log.info(dump(value)) end,
            serpent = { block = dump, line = dump },
            config = config_view,
            keys = { chat = chat_key, global = global_key },
            resolve_peer = resolve_peer,
            resolve_user = resolve_user,
            user_name = function(id) return host.user_name(id) end,
            user_names = function(ids) return host.user_names(ids) end,
            role_of = role_of,
            role_in = role_in,
            -- Sudo only: every worker reloads the plugin files before its next batch.
            reload_plugins = function(msg)
              if type(msg) ~= "table" or not at_least("sudo")(msg) then error("reload_plugins: sudo users only", 2) end
              host.request_reload()
            end,
            is_sudo = at_least("sudo"),
            is_owner = at_least("owner"),
            is_admin = at_least("admin"),
            is_mod = at_least("mod"),
            is_approved = at_least("approved"),
            send_reply = bot.reply,
            -- Runs callback() on this worker once `seconds` have passed; kept in memory, so a restart forgets it.
            after = function(seconds, callback) host.after(plugin, seconds, callback) end,
            -- This worker's share of the chats (a fresh table each plugin: no plugin changes another's).
            shard = { index = settings.shard.index, count = settings.shard.count, owns = host.owns_chat },
          }
          api.state = make_state(plugin, api.redis)
          api.require = make_require(api)
          make_compat(api, bot)
          return api
        end
        return make_api
        """#
}
