import Foundation
import Testing
import WardenJSON
import WardenTestSupport

@testable import WardenRuntime

@Suite struct HostAPITests {
    @Test func botActionsBecomeBotAPICalls() throws {
        let test = try TestHost(plugins: [
            (
                "actions",
                #"""
                return { patterns = { "^!all$" }, run = function(msg)
                  local chat = msg.chat.id
                  bot.send(chat, "hi", { parse_mode = "HTML" })
                  bot.reply(msg, "re")
                  bot.delete(chat, 5)
                  bot.delete(chat, { 6, 7 })
                  bot.ban(chat, 42, 1700000000)
                  bot.unban(chat, 42)
                  bot.restrict(chat, 42, { can_send_messages = false })
                  bot.promote(chat, 42, { can_delete_messages = true })
                  bot.pin(chat, 9)
                  bot.edit(chat, 9, "edited")
                  bot.api("setMyCommands", { commands = { { command = "ban", description = "Ban" } } })
                end }
                """#
            )
        ])
        test.send(Fixture.message("!all"))
        let calls = test.sink.actions.map { $0.method }
        #expect(
            calls == [
                "sendMessage", "sendMessage", "deleteMessage", "deleteMessages", "banChatMember", "unbanChatMember",
                "restrictChatMember", "promoteChatMember", "pinChatMessage", "editMessageText", "setMyCommands",
            ]
        )
        let actions = test.sink.actions
        #expect(actions[0].params["parse_mode"] == "HTML")
        #expect(actions[1].params["reply_parameters"]?["message_id"] != nil)
        #expect(actions[3].params["message_ids"] == [6, 7])
        #expect(actions[4].params["until_date"] == 1_700_000_000)
        #expect(actions[6].params["permissions"] == ["can_send_messages": false])
        #expect(actions[7].params["can_delete_messages"] == true)
        #expect(actions.allSatisfy { $0.plugin == "actions" && $0.updateID != nil })
    }

    @Test func callbacksRunLaterInOrderWithResults() throws {
        let test = try TestHost(plugins: [
            (
                "cb",
                #"""
                local order = {}
                return { patterns = { "^!go$", "^!show$" }, run = function(msg, m)
                  if m[1] == "!show" then return table.concat(order, ",") end
                  for i = 1, 3 do
                    bot.send(msg.chat.id, "n" .. i, function(ok, result) order[#order + 1] = i .. ":" .. tostring(ok) end)
                  end
                  order[#order + 1] = "returned"
                end }
                """#
            )
        ])
        test.send(Fixture.message("!go"))
        test.send(Fixture.message("!show"))
        #expect(test.replies.last == "returned,1:true,2:true,3:true")
    }

    @Test func wrongTypesToTheHostAPIAreLuaErrorsNotCrashes() throws {
        let test = try TestHost(plugins: [
            (
                "bad",
                #"""
                return { patterns = { "^!bad (%d)$" }, run = function(msg, m)
                  local n = tonumber(m[1])
                  if n == 1 then bot.api(42, "x") end
                  if n == 2 then bot.api("sendMessage", { chat_id = function() end }) end
                  if n == 3 then redis:get({}) end
                  if n == 4 then bot.send(msg.chat.id, "x", nil, "not a function") end
                  if n == 5 then json.encode({ 1, 2, f = print }) end
                  if n == 6 then bot.api("../etc/passwd", {}) end
                  if n == 7 then bot.send(msg.chat.id, nil) end
                  if n == 8 then bot.reply(msg, msg.no_such_field) end
                end }
                """#
            )
        ])
        for n in 1...8 { test.send(Fixture.message("!bad \(n)")) }
        #expect(test.host.stats.pluginErrors["bad"] == 8)
        #expect(test.sink.actions.isEmpty, "nothing sent, not even the text \"nil\"")
        #expect(test.logs.lines.contains { $0.contains("bot.send: text is nil") })
    }

    @Test func jsonRoundTripKeeps64BitIds() throws {
        let test = try TestHost(plugins: [
            (
                "json",
                #"""
                return { patterns = { "^!json$" }, run = function(msg)
                  local encoded = json.encode({ id = msg.chat.id, list = { 1, 2, 3 }, name = "x" })
                  local decoded = JSON:decode(encoded)
                  return encoded .. " " .. tostring(decoded.id == msg.chat.id) .. " " .. math.type(decoded.id)
                end }
                """#
            )
        ])
        test.send(Fixture.message("!json"))
        #expect(test.replies == [#"{"id":-1001234567890,"list":[1,2,3],"name":"x"} true integer"#])
    }

    @Test func configIsReadOnlyAndHoldsNoSecrets() throws {
        let test = try TestHost(
            plugins: [
                (
                    "cfg",
                    #"""
                    return { patterns = { "^!cfg$" }, run = function()
                      local ok = pcall(function() config.sudo_users[1] = 666 end)
                      local keys = {}
                      for k in pairs(config) do keys[#keys + 1] = k end
                      table.sort(keys)
                      return tostring(ok) .. " " .. config.sudo_users[1] .. " " .. table.concat(keys, ",")
                    end }
                    """#
                )
            ],
            sudo: [5]
        ) { config in config.token = Secret("123:SECRET") }
        test.send(Fixture.message("!cfg"))
        #expect(test.replies == ["false 5 bot_username,enabled_plugins,old_update_age,plugin_directory,sudo_users"])
        #expect(!test.replies.joined().contains("SECRET"))
    }

    /// A plugin directory holding only `lib/<path>.lua` files; removed by the caller.
    static func pluginDirectory(libraries: [String: String]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("warden-lib-\(UUID().uuidString)")
        for (path, source) in libraries {
            let file = directory.appendingPathComponent("lib/\(path).lua")
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try source.write(to: file, atomically: true, encoding: .utf8)
        }
        return directory
    }

    @Test func requireLoadsFromPluginsLibOnly() throws {
        let directory = try Self.pluginDirectory(libraries: [
            "util/text": #"local M = {} function M.shout(s) return s:upper() .. "!" end return M"#
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let test = try TestHost(
            plugins: [
                (
                    "uses_lib",
                    #"""
                    local text = require("util.text")
                    return { patterns = { "^!shout (.+)$", "^!escape$" }, run = function(msg, m)
                      if m[1] == "!escape" then
                        return tostring(pcall(require, "../../etc/passwd")) .. " " .. tostring(pcall(require, "missing"))
                      end
                      return text.shout(m[1])
                    end }
                    """#
                )
            ]) { config in config.pluginDirectory = directory.path }
        test.send(Fixture.message("!shout hi"))
        test.send(Fixture.message("!escape"))
        #expect(test.replies == ["HI!", "false false"])
    }

    @Test func aModuleIsLoadedOncePerPluginAndNeverShared() throws {
        let directory = try Self.pluginDirectory(libraries: [
            "counter": "return { hits = 0 }",
            "user":
                #"local counter = require("counter") return { bump = function() counter.hits = counter.hits + 1 end }"#,
            "ping": #"return require("pong")"#,
            "pong": #"return require("ping")"#,
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let plugin = #"""
            local counter, user = require("counter"), require("user")
            return { patterns = { "^!count$", "^!cycle$" }, run = function(msg, m)
              if m[1] == "!cycle" then
                local ok, err = pcall(require, "ping")
                return tostring(ok) .. " " .. tostring(err):gsub("^.-:%d+: ", "")
              end
              user.bump()
              return counter.hits .. " " .. tostring(counter == require("counter"))
            end }
            """#
        let test = try TestHost(plugins: [("first", plugin), ("second", plugin)]) { config in
            config.pluginDirectory = directory.path
        }
        test.send(Fixture.message("!count"))
        test.send(Fixture.message("!count"))
        // One instance within a plugin (the plugin's and user's `counter` are the same table); each plugin
        // has its own.
        #expect(test.replies == ["1 true", "1 true", "2 true", "2 true"])
        test.send(Fixture.message("!cycle"))
        #expect(
            test.replies.suffix(2).allSatisfy { $0 == "false module 'ping' is required again while it loads (a cycle)" }
        )
    }

    @Test func usernamesSeenByTheBotResolveToUserIDs() async throws {
        try await withRedisServer { server in
            let test = try TestHost(
                plugins: [
                    (
                        "target",
                        #"""
                        return { patterns = { "^!ban (@[%w_]+)$" }, run = function(msg, m)
                          local ok, err = pcall(bot.ban, msg.chat.id, m[1])
                          if not ok then return "cannot: " .. tostring(err):gsub("^.-: ", "") end
                        end }
                        """#
                    )
                ],
                redisURL: server.url
            )
            var message = Fixture.message("hello")
            if case .object(var update) = message, case .object(var inner) = update["message"] ?? .null {
                inner["from"] = Fixture.user(4242, first: "Bob", username: "Bob_U")
                update["message"] = .object(inner)
                message = .object(update)
            }
            test.send(message)
            test.send(Fixture.message("!ban @bob_u"))
            test.send(Fixture.message("!ban @nobody"))
            let ban = test.sink.actions.first { $0.method == "banChatMember" }
            #expect(ban?.params["user_id"] == .int(4242))
            #expect(test.replies == ["cannot: unknown user @nobody (not seen by the bot yet)"])
        }
    }

    @Test func dangerousRedisCommandsAreRefused() async throws {
        try await withRedisServer { server in
            let test = try TestHost(
                plugins: [
                    (
                        "r",
                        #"""
                        return { patterns = { "^!r (%a+)$" }, run = function(msg, m)
                          local ok, err = pcall(function() return redis:call(m[1]) end)
                          return m[1] .. " " .. tostring(ok)
                        end }
                        """#
                    )
                ],
                redisURL: server.url
            )
            for command in ["flushall", "config", "shutdown", "eval", "blpop", "ping"] {
                test.send(Fixture.message("!r \(command)"))
            }
            #expect(
                test.replies == [
                    "flushall false", "config false", "shutdown false", "eval false", "blpop false", "ping true",
                ]
            )
        }
    }

    @Test func pipelineSendsEveryCommandInOneRoundTripWithTheUsualReplies() async throws {
        try await withRedisServer { server in
            let test = try TestHost(
                plugins: [
                    (
                        "p",
                        #"""
                        return { patterns = { "^!p$", "^!bad$" }, run = function(msg, m)
                          if msg.text == "!bad" then
                            local ok, err = pcall(redis.pipeline, redis, { { "set", "a", "1" }, { "config", "get", "x" } })
                            return tostring(ok) .. " " .. tostring(err):match("not allowed") .. " " .. tostring(redis:get("a"))
                          end
                          local r = redis:pipeline(function(p)
                            p:rpush("l", "x"); p:expire("l", 60); p:get("missing"); p:hset("h", { f = "v" }); p:hgetall("h")
                          end)
                          local listed = redis:pipeline({ { "LLEN", "l" } })
                          return table.concat({ r[1], tostring(r[2]), tostring(r[3]), r[4], r[5].f, listed[1] }, " ")
                        end }
                        """#
                    )
                ],
                redisURL: server.url
            )
            let before = test.host.stats.redisRoundTrips
            test.send(Fixture.message("!p"))
            // Two pipelines, plus the ledger's two and the disabled-plugin sets' one (no read cache here).
            #expect(test.host.stats.redisRoundTrips - before == 5)
            test.send(Fixture.message("!bad"))
            #expect(test.replies == ["1 true false 1 v 1", "false not allowed nil"])
        }
    }

    @Test func serverErrorsRaiseNamingTheCommandAndStatusRepliesFollowRedisLua() async throws {
        try await withRedisServer { server in
            let test = try TestHost(
                plugins: [
                    (
                        "e",
                        #"""
                        return { patterns = { "^!e$" }, run = function(msg)
                          redis:rpush("list", "x")
                          local _, single = pcall(function() return redis:incr("list") end)
                          local _, piped = pcall(redis.pipeline, redis, { { "set", "k", "1" }, { "incr", "list" } })
                          local status = redis:call("ping")
                          local nested = redis:pipeline({ { "lrange", "list", 0, -1 }, { "type", "list" } })
                          return table.concat({ single, piped, tostring(redis:get("k")), tostring(status),
                            nested[1][1], nested[2], tostring(redis:set("s", "v")) }, " | ")
                        end }
                        """#
                    )
                ],
                redisURL: server.url
            )
            test.send(Fixture.message("!e"))
            let wrongType = "WRONGTYPE Operation against a key holding the wrong kind of value"
            #expect(
                test.replies == [
                    "redis: incr: \(wrongType) | redis: incr: \(wrongType) | 1 | true | x | list | true"
                ]
            )
        }
    }

    @Test func keysAndRedisCallsTakeEveryArgumentShape() async throws {
        try await withRedisServer { server in
            let test = try TestHost(
                plugins: [
                    (
                        "k",
                        #"""
                        return { patterns = { "^!k$" }, run = function(msg)
                          local built = table.concat({
                            keys.global(), keys.global("a"), keys.global("a", 7), keys.global("a", "b", "c"),
                            keys.chat(-5), keys.chat(-5, "x"), keys.chat("-5", "x", 9), keys.chat(-5, "x", "y", "z"),
                          }, " ")
                          built = built:gsub(keys.global():gsub("%p", "%%%0"), "P:")
                          local ok, err = pcall(keys.chat, -5, "bad part")
                          -- The error points at the plugin's line, whichever way the key was built.
                          local _, global_err = pcall(function() local k = keys.global("bad part"); return k end)
                          local _, chat_err = pcall(function() local k = keys.chat(1, "a", "bad part"); return k end)
                          local _, state_err = pcall(function() local v = state.get(1, "bad part"); return v end)
                          built = built .. " | " .. global_err .. " " .. chat_err .. " " .. state_err
                          redis:set("plain", "v")
                          redis:set("trailing", "w", nil)
                          redis:hmset("h", { f = "1" })
                          redis:hset("h", "g", 2)
                          redis:mset({ m = "3" })
                          local got = table.concat({ redis:get("plain"), redis:get("trailing"), redis:hget("h", "f"),
                            redis:hget("h", "g"), redis:get("m"), tostring(redis:exists("m")), tostring(redis:get("none")) }, " ")
                          return built .. " | " .. tostring(ok) .. " " .. tostring(err:match("invalid key part 'bad part'")) .. " | " .. got
                        end }
                        """#
                    )
                ],
                redisURL: server.url
            )
            test.send(Fixture.message("!k"))
            #expect(
                test.replies == [
                    "P: P:a P:a:7 P:a:b:c P:{chat:-5} P:{chat:-5}:x P:{chat:-5}:x:9 P:{chat:-5}:x:y:z"
                        + " | plugins/k.lua:9: invalid key part 'bad part' plugins/k.lua:10: invalid key part 'bad part'"
                        + " plugins/k.lua:11: invalid key part 'bad part'"
                        + " | false invalid key part 'bad part' | v w 1 2 3 true nil"
                ]
            )
        }
    }

    @Test func keysBuiltAgainComeFromMemoryAndStayRight() throws {
        let test = try TestHost(
            plugins: [
                (
                    "k",
                    #"""
                    local function build()
                      return { keys.chat(-5, "x"), keys.chat(-5), keys.chat(-6, "x"), keys.chat(-5, 7), keys.chat(-5, "7"),
                        keys.chat(-5.0, "x"), keys.chat("-5", "x"), keys.global("g"), keys.global(7), keys.global("g", "h") }
                    end
                    return { patterns = { "^!k$" }, run = function(msg)
                      local first, again = build(), build()
                      for i = 1, #first do
                        if first[i] ~= again[i] then return "differs at " .. i end
                      end
                      -- Past 20,000 remembered keys they are forgotten at once; what is built stays right.
                      for i = 1, 25000 do
                        if keys.chat(i, "n") ~= keys.global() .. "{chat:" .. i .. "}:n" then return "wrong at " .. i end
                      end
                      -- A bad part is never remembered: it is refused every time.
                      local bad_once, bad_twice = pcall(keys.chat, -5, "bad part"), pcall(keys.chat, -5, "bad part")
                      local built = table.concat(again, " "):gsub(keys.global():gsub("%p", "%%%0"), "P:")
                      return built .. " | " .. tostring(bad_once) .. " " .. tostring(bad_twice)
                    end }
                    """#
                )
            ],
            configure: { $0.instructionBudget = 20_000_000 }
        )
        test.send(Fixture.message("!k"))
        #expect(
            test.replies == [
                "P:{chat:-5}:x P:{chat:-5} P:{chat:-6}:x P:{chat:-5}:7 P:{chat:-5}:7 P:{chat:-5}:x P:{chat:-5}:x"
                    + " P:g P:7 P:g:h | false false"
            ]
        )
    }

    @Test func loadErrorsNameThePluginAndTheProblem() throws {
        let cases: [(String, String)] = [
            ("syntax", "return { patterns = { '^x' }, run = function() end"),
            ("unknown_key", "return { patterns = { '^x' }, run = function() end, pattern = {} }"),
            ("bad_pattern", "return { patterns = { '^[x' }, run = function() end }"),
            ("no_run", "return { patterns = { '^x' } }"),
            ("bad_role", "return { min_role = 'king', patterns = { '^x' }, run = function() end }"),
            ("not_table", "return 42"),
            ("loops", "while true do end"),
            ("bad_on", "return { on = { message = function() end } }"),
        ]
        for (name, source) in cases {
            #expect(throws: PluginLoadError.self, "\(name) should not load") {
                _ = try TestHost(plugins: [(name, source)])
            }
        }
        do {
            _ = try TestHost(plugins: [("bad_pattern", "return { patterns = { '^[x' }, run = function() end }")])
        } catch let error as PluginLoadError {
            #expect(error.description.contains("plugin bad_pattern"))
            #expect(error.description.contains("missing ']'"))
        }
    }
}
