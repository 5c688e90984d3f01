-- luacheck configuration for plugins/: the host API Warden gives every plugin (docs/plugin-api.md).
std = "lua54"
max_line_length = 120
read_globals = {
  "bot", "redis", "json", "JSON", "log", "state", "keys", "config", "plugins", "role_of", "is_sudo", "is_owner",
  "is_admin", "is_mod", "is_approved", "resolve_peer", "resolve_user", "role_in", "vardump", "serpent",
  "reload_plugins", "user_name", "user_names", "after", "shard",
  -- yagop / tg-cli compatibility layer
  "send_msg", "send_large_msg", "reply_msg", "chat_del_user", "channel_kick", "delete_msg", "get_receiver", "ok_cb",
  "our_id", "VERSION", "_config", "save_config", "is_chat_msg", "user_print_name", "postpone",
  string = { fields = { "trim", "split", "isempty", "starts" } },
}
-- Not available in the sandbox: using them is a mistake luacheck should catch.
not_globals = { "io", "debug", "package", "dofile", "loadfile" }
files["plugins/warden_api.lua"] = { allow_defined_top = true, globals = { "bot", "redis", "json", "JSON", "log",
  "state", "keys", "config", "plugins", "our_id", "VERSION", "_config", "shard" }, unused_args = false, ignore = { "111", "112", "121", "122", "131", "212" } }
