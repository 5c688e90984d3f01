import Testing
import WardenJSON
import WardenTestSupport

@testable import WardenRuntime

/// Plugins written exactly the yagop/NortTM way run unmodified.
@Suite struct YagopCompatTests {
    @Test func patternRunPluginUsingStringTrim() throws {
        let test = try TestHost(plugins: [
            (
                "echo",
                #"""
                do
                local function run(msg, matches)
                  local text = matches[1]:trim()
                  return text
                end

                return {
                  description = "Simplest plugin ever!",
                  usage = "!echo [whatever]: echoes the msg",
                  patterns = {
                    "^!echo (.*)$"
                  },
                  run = run
                }
                end
                """#
            )
        ])
        test.send(Fixture.message("!echo    spaced out   "))
        #expect(test.replies == ["spaced out"])
    }

    @Test func pluginThatDefinesAGlobalRun() throws {
        let test = try TestHost(plugins: [
            (
                "ping",
                #"""
                function run(msg, matches)
                  return "pong " .. user_print_name(msg.from)
                end

                return {
                  description = "ping",
                  usage = "!ping",
                  patterns = { "^!ping$" },
                  run = run
                }
                """#
            ),
            ("other", #"return { patterns = { "^!ping$" }, run = function() return type(run) end }"#),
        ])
        test.send(Fixture.message("!ping"))
        // The global `run` stays in the first plugin's environment.
        #expect(test.replies == ["pong Ann_Lee", "nil"])
    }

    @Test func msgToIsTheChatRenamedOrTheBotAndATableOfItsOwn() throws {
        let test = try TestHost(plugins: [
            (
                "to",
                #"""
                return {
                  patterns = { "^!to$" },
                  run = function(msg)
                    local to = msg.to
                    local line = to.type .. " " .. to.id .. " " .. to.print_name .. " " .. tostring(to.title)
                    to.id, to.extra = 0, true
                    -- Built once: read again, it is the same table; the metatable that builds it is locked.
                    line = line .. " " .. tostring(msg.to == to) .. " " .. tostring(getmetatable(msg))
                    line = line .. " " .. tostring(pcall(setmetatable, msg, {}))
                    return line .. " | " .. msg.chat.type .. " " .. msg.chat.id .. " " .. tostring(msg.chat.extra)
                  end,
                }
                """#
            )
        ])
        test.send(Fixture.message("!to", chat: Fixture.chat(-5, type: "group")))
        test.send(Fixture.message("!to", chat: Fixture.chat(-100_123, type: "supergroup")))
        test.send(Fixture.message("!to", chat: Fixture.chat(Fixture.member, type: "private")))
        #expect(
            test.replies == [
                "chat -5 Test_Group Test Group true false false | group -5 nil",
                "channel -100123 Test_Group Test Group true false false | supergroup -100123 nil",
                "user \(Fixture.botID) Warden nil true false false | private \(Fixture.member) nil",
            ]
        )
    }

    @Test func floodCounterWithRedisAndChatDelUser() async throws {
        try await withRedisServer { server in
            let test = try TestHost(
                plugins: [
                    (
                        "antiflood",
                        #"""
                        local NUM_MSG_MAX = 3
                        local TIME_CHECK = 10

                        local function kick_user_cb(data, success)
                          if success == 1 then
                            send_msg(data.receiver, "User " .. data.user .. " kicked for flooding", ok_cb, false)
                          end
                        end

                        local function pre_process(msg)
                          if msg.service then return msg end
                          local hash = 'floodc:' .. msg.from.id .. ':' .. msg.to.id
                          local msgs = tonumber(redis:get(hash) or 0)
                          if msgs > NUM_MSG_MAX then
                            local receiver = get_receiver(msg)
                            chat_del_user(receiver, 'user#id' .. msg.from.id, kick_user_cb,
                              { receiver = receiver, user = msg.from.id })
                            return nil
                          end
                          redis:setex(hash, TIME_CHECK, msgs + 1)
                          return msg
                        end

                        return { patterns = {}, pre_process = pre_process }
                        """#
                    )
                ],
                redisURL: server.url
            )
            var outcomes: [UpdateOutcome] = []
            for index in 0..<6 { outcomes.append(test.send(Fixture.message("spam \(index)"))) }
            #expect(outcomes.prefix(4).allSatisfy { $0.stopped == nil })
            #expect(outcomes.suffix(2).allSatisfy { $0.stopped == .droppedByPreProcess })
            let methods = test.sink.actions.map(\.method)
            #expect(methods.filter { $0 == "banChatMember" }.count == 2)
            #expect(methods.filter { $0 == "unbanChatMember" }.count == 2)
            let kicked = test.sink.actions.first { $0.method == "banChatMember" }
            #expect(kicked?.params["chat_id"] == .int(Fixture.group))
            #expect(kicked?.params["user_id"] == .int(Fixture.member))
            #expect(
                test.replies == [
                    "User \(Fixture.member) kicked for flooding", "User \(Fixture.member) kicked for flooding",
                ]
            )
        }
    }

    @Test func setGetPluginWithHashesAndMsgToType() async throws {
        try await withRedisServer { server in
            let test = try TestHost(
                plugins: [
                    (
                        "vars",
                        #"""
                        local function get_variables_hash(msg)
                          if msg.to.type == 'chat' or msg.to.type == 'channel' then
                            return 'chat:' .. msg.to.id .. ':variables'
                          end
                          if msg.to.type == 'user' then
                            return 'user:' .. msg.from.id .. ':variables'
                          end
                        end

                        local function run(msg, matches)
                          local hash = get_variables_hash(msg)
                          if matches[1] == "!set" then
                            redis:hset(hash, matches[2], matches[3])
                            return "Saved " .. matches[2] .. " = " .. matches[3]
                          end
                          local value = redis:hget(hash, matches[2])
                          if not value then return "No value" end
                          return matches[2] .. " = " .. value
                        end

                        return {
                          patterns = { "^(!set) ([^%s]+) (.+)$", "^(!get) ([^%s]+)$" },
                          run = run
                        }
                        """#
                    )
                ],
                redisURL: server.url
            )
            test.send(Fixture.message("!set rules be nice"))
            test.send(Fixture.message("!get rules"))
            test.send(Fixture.message("!get rules", chat: Fixture.chat(-5, type: "group")))
            test.send(Fixture.message("!set lang en", chat: Fixture.chat(Fixture.member, type: "private")))
            test.send(Fixture.message("!get lang", chat: Fixture.chat(Fixture.member, type: "private")))
            #expect(
                test.replies == [
                    "Saved rules = be nice", "rules = be nice", "No value", "Saved lang = en", "lang = en",
                ]
            )
        }
    }

    @Test func serviceMessagePluginMatchesTgservice() throws {
        let test = try TestHost(plugins: [
            (
                "welcome",
                #"""
                local function run(msg, matches)
                  if matches[1] == "chat_add_user" or matches[1] == "chat_add_user_link" then
                    return "Welcome " .. msg.action.user.print_name .. " (" .. matches[1] .. ")"
                  end
                  if matches[1] == "chat_del_user" then return "Bye " .. msg.action.user.first_name end
                end
                return { patterns = { "^!!tgservice (.+)$" }, run = run }
                """#
            )
        ])
        let newcomer = Fixture.user(333, first: "Bob", last: "Ray")
        test.send(Fixture.message(from: Fixture.admin, extra: ["new_chat_members": [newcomer]]))
        test.send(Fixture.message(from: 333, extra: ["new_chat_members": [newcomer]]))
        test.send(Fixture.message(from: 333, extra: ["left_chat_member": newcomer]))
        #expect(test.replies == ["Welcome Bob_Ray (chat_add_user)", "Welcome Bob_Ray (chat_add_user_link)", "Bye Bob"])
    }

    @Test func getReceiverAndPeerStrings() throws {
        let test = try TestHost(plugins: [
            (
                "peers",
                #"""
                return { patterns = { "^!peers$" }, run = function(msg)
                  send_msg("chat#id42", "to legacy group")
                  send_msg("channel#id123", "to legacy channel")
                  send_msg("user#id99", "to user")
                  send_msg("@somechannel", "to username")
                  return get_receiver(msg)
                end }
                """#
            )
        ])
        test.send(Fixture.message("!peers"))
        test.send(Fixture.message("!peers", chat: Fixture.chat(-42, type: "group")))
        test.send(Fixture.message("!peers", chat: Fixture.chat(Fixture.member, type: "private")))
        let chats = test.sink.actions.prefix(4).map { $0.params["chat_id"] }
        #expect(chats == [.int(-42), .int(-1_000_000_000_123), .int(99), .string("@somechannel")])
        #expect(
            test.replies.filter { $0.contains("#id") } == [
                "channel#id\(Fixture.group)", "chat#id-42", "user#id\(Fixture.member)",
            ]
        )
    }

    @Test func sendLargeMsgSplitsWithoutCuttingUTF8() throws {
        let test = try TestHost(plugins: [
            (
                "long",
                #"return { patterns = { "^!long$" }, run = function(msg) send_large_msg(get_receiver(msg), ("é"):rep(3000)) end }"#
            )
        ])
        test.send(Fixture.message("!long"))
        let parts = test.replies
        #expect(parts.count == 2)
        #expect(parts.joined() == String(repeating: "é", count: 3000))
        #expect(parts.allSatisfy { $0.utf8.count <= 4096 })
    }

    @Test func tgCliCallbacksGetExtraAndNumericSuccess() throws {
        let test = try TestHost(plugins: [
            (
                "cb",
                #"""
                return { patterns = { "^!cb$" }, run = function(msg)
                  send_msg(get_receiver(msg), "first", function(extra, success, result)
                    send_msg(extra.receiver, "callback " .. type(success) .. " " .. success .. " " .. result.text)
                  end, { receiver = get_receiver(msg) })
                end }
                """#
            )
        ])
        test.send(Fixture.message("!cb"))
        #expect(test.replies == ["first", "callback number 1 first"])
    }
}
