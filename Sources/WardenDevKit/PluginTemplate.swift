/// What `warden plugin new` writes: a small working plugin and a spec that passes against it,
/// for the operator to grow.
public enum PluginTemplate {
    public static func plugin(name: String) -> String {
        #"""
        -- \#(name): one file, one job. The host API is in docs/plugin-api.md; run its spec with
        -- `warden plugin test plugins/spec/\#(name)_spec.lua`.
        local greeted_key = function(chat_id) return keys.chat(chat_id, "\#(name)", "greeted") end

        return {
          description = "Greets whoever asks, and counts the greetings per chat.",
          usage = { "/\#(name): say hello", "/\#(name) count: how many greetings this chat had" },
          patterns = { "^[!/#]\#(name)$", "^[!/#]\#(name)%s+(count)$" },
          run = function(msg, matches)
            if matches[1] == "count" then
              return "Greetings here: " .. (redis:get(greeted_key(msg.chat.id)) or "0")
            end
            redis:incr(greeted_key(msg.chat.id))
            return "Hello, " .. (msg.from.first_name or "stranger") .. "!"
          end,
        }
        """#
    }

    public static func spec(name: String) -> String {
        #"""
        -- Specs for plugins/\#(name).lua: a world (users, chats) and cases of steps; docs/plugin-testing.md.
        return {
          plugins = { "\#(name)" },
          users = { ann = { first_name = "Ann", username = "ann" }, bob = { first_name = "Bob" } },
          chats = { group = { type = "supergroup", title = "Test group", creator = "ann", members = { "bob" } } },
          cases = {
            {
              name = "greets the sender and counts per chat",
              steps = {
                { from = "bob", chat = "group", text = "/\#(name)" },
                { expect = "sendMessage", params = { chat_id = "$group" }, text = "Hello, Bob!" },
                { expect_redis = { "GET", "warden:{chat:$group}:\#(name):greeted" }, equals = 1 },
                { from = "ann", chat = "group", text = "/\#(name) count" },
                { expect = "sendMessage", text = "Greetings here: 1" },
              },
            },
            {
              name = "ignores other text",
              steps = {
                { from = "bob", chat = "group", text = "hello \#(name)" },
                { expect_no = "sendMessage" },
              },
            },
          },
        }
        """#
    }
}
