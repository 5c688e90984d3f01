---@meta
-- LuaLS definitions of what Warden gives plugins (docs/plugin-api.md), so editors
-- autocomplete and type-check. Never loaded as a plugin: its first line marks it as definitions.

---@class TelegramUser
---@field id integer
---@field is_bot boolean
---@field first_name string
---@field last_name? string
---@field username? string
---@field print_name string tg-cli style: "First_Last"

---@class TelegramChat
---@field id integer
---@field type "private"|"group"|"supergroup"|"channel"
---@field title? string
---@field username? string

---@class WardenReceiver: TelegramChat
---@field type "user"|"chat"|"channel" tg-cli style
---@field print_name string

---@class WardenAction
---@field type string tg-cli action type: chat_add_user, chat_add_user_link, chat_del_user, chat_rename, …
---@field user? TelegramUser
---@field users? TelegramUser[]
---@field title? string

---@class WardenMessage
---@field message_id integer
---@field date integer
---@field chat TelegramChat
---@field from? TelegramUser
---@field sender_chat? TelegramChat
---@field text? string
---@field caption? string
---@field entities? table[]
---@field reply_to_message? WardenMessage
---@field forward_origin? table
---@field new_chat_members? TelegramUser[]
---@field media_group_id? string
---@field kind string text, photo, video, sticker, animation, document, audio, voice, video_note, contact,
---location, venue, poll, dice, game, service, unknown
---@field service_action? string join, leave, title, photo, photo_deleted, created, migrate, pin, …
---@field command? string the command, lowercased, without prefix or @botname
---@field args? string what follows the command, trimmed
---@field old? boolean sent before the bot started (commands are not run)
---@field update_id integer
---@field id integer alias of message_id (yagop)
---@field reply_id? integer alias of reply_to_message.message_id (yagop)
---@field to WardenReceiver tg-cli style receiver (built from `chat` when first read)
---@field service boolean
---@field action? WardenAction

---@alias WardenCallback fun(ok: boolean, result: table|boolean|{error_code: integer, description: string})
---@alias WardenPeer integer|string a chat id, "user#id<N>", "chat#id<N>", "channel#id<N>" or "@username"

---@class WardenBot
---@field id integer
---@field username? string
bot = {}
---@param method string any Bot API method
---@param params? table
---@param callback? WardenCallback
function bot.api(method, params, callback) end
---@param chat_id WardenPeer
---@param text string
---@param opts? table extra sendMessage parameters
---@param callback? WardenCallback
function bot.send(chat_id, text, opts, callback) end
---@param msg WardenMessage
---@param text string
---@param opts? table
---@param callback? WardenCallback
function bot.reply(msg, text, opts, callback) end
---@param chat_id WardenPeer
---@param message_ids integer|integer[]
---@param callback? WardenCallback
function bot.delete(chat_id, message_ids, callback) end
---@param chat_id WardenPeer
---@param user_id WardenPeer
---@param until_date? integer
---@param callback? WardenCallback
function bot.ban(chat_id, user_id, until_date, callback) end
---@param chat_id WardenPeer
---@param user_id WardenPeer
---@param callback? WardenCallback
function bot.unban(chat_id, user_id, callback) end
---@param chat_id WardenPeer
---@param user_id WardenPeer
---@param callback? WardenCallback
function bot.kick(chat_id, user_id, callback) end
---@param chat_id WardenPeer
---@param user_id WardenPeer
---@param permissions table ChatPermissions
---@param until_date? integer
---@param callback? WardenCallback
function bot.restrict(chat_id, user_id, permissions, until_date, callback) end
---@param chat_id WardenPeer
---@param user_id WardenPeer
---@param rights table promoteChatMember rights
---@param callback? WardenCallback
function bot.promote(chat_id, user_id, rights, callback) end
---@param chat_id WardenPeer
---@param message_id integer
---@param opts? table
---@param callback? WardenCallback
function bot.pin(chat_id, message_id, opts, callback) end
---@param callback_query_id string
---@param text? string
---@param opts? table
---@param callback? WardenCallback
function bot.answer_callback(callback_query_id, text, opts, callback) end
---@param chat_id WardenPeer
---@param message_id integer
---@param text string
---@param opts? table
---@param callback? WardenCallback
function bot.edit(chat_id, message_id, text, opts, callback) end

---@class WardenRedis redis-lua style: redis:get(k), redis:hset(k, f, v), … and redis:call(cmd, …)
---@field [string] fun(self: WardenRedis, ...: string|number): any
redis = {}
---@param command string
---@return any
function redis:call(command, ...) end

json = {}
---@param value any
---@return string
function json.encode(value) end
---@param text string
---@return any
function json.decode(text) end
JSON = json

log = {}
function log.debug(...) end
function log.info(...) end
function log.warn(...) end
function log.error(...) end

state = {}
---@param chat_id integer
---@param name string
---@return any
function state.get(chat_id, name) end
---@param chat_id integer
---@param name string
---@param value any JSON-encodable
---@param ttl? integer seconds (default 86400)
function state.set(chat_id, name, value, ttl) end
---@param chat_id integer
---@param name string
---@return boolean
function state.delete(chat_id, name) end

keys = {}
---@param chat_id integer
---@return string key "<prefix>{chat:ID}:part:…"
function keys.chat(chat_id, ...) end
---@return string key "<prefix>part:…"
function keys.global(...) end

---@type table read-only: sudo_users, enabled_plugins, plugin_directory, old_update_age, bot_username
config = {}
---@type table<string, {description?: string, usage: string[], patterns: string[], min_role: string}>
plugins = {}

---@param msg WardenMessage
---@return "member"|"approved"|"mod"|"admin"|"owner"|"sudo"
function role_of(msg) end
---@param msg WardenMessage
function is_sudo(msg) end
---@param msg WardenMessage
function is_owner(msg) end
---@param msg WardenMessage
function is_admin(msg) end
---@param msg WardenMessage
function is_mod(msg) end
---@param msg WardenMessage
function is_approved(msg) end
---@param peer WardenPeer
---@return integer|string
function resolve_peer(peer) end
---@param peer WardenPeer a user id, "user#id<N>" or "@username" the bot has seen
---@return integer
function resolve_user(peer) end
---@param chat_id integer
---@param user_id integer
---@return "member"|"approved"|"mod"|"admin"|"owner"|"sudo"
function role_in(chat_id, user_id) end
---@param user_id integer
---@return string|nil name "First Last" of a user the bot has seen
function user_name(user_id) end
---@param user_ids (integer|string)[]
---@return table<integer, string> names "First Last" of each user the bot has seen, by id (one round trip)
function user_names(user_ids) end

--- Sudo only (an error otherwise): every worker reloads the plugin files before its next update.
---@param msg WardenMessage the sudo user's message
function reload_plugins(msg) end

--- Runs fn() on this worker once `seconds` (0 to 86400) have passed; in memory only (a restart forgets it).
---@param seconds number
---@param fn fun()
function after(seconds, fn) end

--- This worker's share of the chats: a `cron_per_shard` cron minds only the chats it owns.
---@class WardenShard
---@field index integer this worker's number, from 0
---@field count integer how many workers there are
---@field owns fun(chat_id: integer|string): boolean whether this worker handles that chat's updates
---@type WardenShard
shard = {}

-- yagop / tg-cli compatibility
---@alias TgCallback fun(extra: any, success: 0|1, result: any)
---@param receiver WardenPeer
---@param text string
---@param cb? TgCallback
---@param extra? any
function send_msg(receiver, text, cb, extra) end
function send_large_msg(receiver, text, cb, extra) end
function reply_msg(msg_id, text, cb, extra) end
function chat_del_user(chat, user, cb, extra) end
function channel_kick(channel, user, cb, extra) end
function delete_msg(msg_id, cb, extra) end
---@param msg WardenMessage
---@return string
function get_receiver(msg) end
function ok_cb(extra, success, result) end
---@type integer
our_id = 0
---@type string
VERSION = ""
---@type table
_config = {}
function save_config() end
---@param cb fun(extra: any)
---@param extra any
---@param seconds number
function postpone(cb, extra, seconds) end
---@param msg WardenMessage
function is_chat_msg(msg) end
---@param user TelegramUser
function user_print_name(user) end
function vardump(value) end
