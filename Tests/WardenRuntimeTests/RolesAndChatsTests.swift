import RedisStore
import Testing
import WardenJSON
import WardenTestSupport

@testable import WardenRuntime

@Suite struct RolesAndChatsTests {
    static let plugins: [(String, String)] = [
        (
            "sudo_only",
            #"return { privileged = true, patterns = { "^!sudo$" }, run = function() return "sudo ok" end }"#
        ),
        ("mods", #"return { moderated = true, patterns = { "^!mod$" }, run = function() return "mod ok" end }"#),
        (
            "admins",
            #"return { min_role = "admin", patterns = { "^!admin$" }, run = function() return "admin ok" end }"#
        ),
        (
            "owners",
            #"return { min_role = "owner", patterns = { "^!owner$" }, run = function() return "owner ok" end }"#
        ),
        (
            "whoami",
            #"""
            return { patterns = { "^!whoami$" }, run = function(msg)
              return table.concat({ role_of(msg), tostring(is_sudo(msg)), tostring(is_owner(msg)),
                tostring(is_admin(msg)), tostring(is_mod(msg)) }, " ")
            end }
            """#
        ),
    ]

    @Test func commandsCheckRolesBeforeRun() async throws {
        try await withRedisServer { server in
            let test = try TestHost(plugins: Self.plugins, redisURL: server.url, sudo: [1])
            let redis = try RedisConnection(url: server.url)
            let keys = RuntimeKeys(prefix: test.host.options.config.redisPrefix)
            _ = try redis.call("HSET", keys.chat(Fixture.group, "admins"), "10", "creator", "20", "administrator")
            _ = try redis.call("SADD", keys.chat(Fixture.group, "mods"), "30")
            let users: [(Int64, String)] = [(1, "sudo"), (10, "owner"), (20, "admin"), (30, "mod"), (40, "member")]
            var answers: [String: [String]] = [:]
            for (user, name) in users {
                let before = test.replies.count
                for command in ["!sudo", "!owner", "!admin", "!mod", "!whoami"] {
                    test.send(Fixture.message(command, from: user))
                }
                answers[name] = Array(test.replies[before...])
            }
            #expect(answers["sudo"] == ["sudo ok", "owner ok", "admin ok", "mod ok", "sudo true true true true"])
            #expect(answers["owner"] == ["owner ok", "admin ok", "mod ok", "owner false true true true"])
            #expect(answers["admin"] == ["admin ok", "mod ok", "admin false false true true"])
            #expect(answers["mod"] == ["mod ok", "mod false false false true"])
            #expect(answers["member"] == ["member false false false false"])
        }
    }

    @Test func anonymousAdminsAndChannelSenders() throws {
        let test = try TestHost(plugins: Self.plugins)
        let asGroup = Fixture.message(
            "!admin",
            from: RoleResolver.anonymousAdminBot,
            extra: ["sender_chat": Fixture.chat()]
        )
        let asChannel = Fixture.message(
            "!admin",
            from: 136_817_688,
            extra: ["sender_chat": ["id": -100_777, "type": "channel", "title": "C"]]
        )
        test.send(asGroup)
        test.send(asChannel)
        #expect(test.replies == ["admin ok"])
    }

    @Test func withoutRedisOnlyConfigSudoIsPrivileged() throws {
        let test = try TestHost(plugins: Self.plugins, sudo: [1])
        test.send(Fixture.message("!mod", from: 1))
        test.send(Fixture.message("!mod", from: 30))
        #expect(test.replies == ["mod ok"])
    }

    @Test func adminCacheFollowsChatMemberUpdates() async throws {
        try await withRedisServer { server in
            let test = try TestHost(plugins: Self.plugins, redisURL: server.url)
            func memberUpdate(status: String) -> JSONValue {
                Fixture.update([
                    "chat_member": [
                        "chat": Fixture.chat(), "from": Fixture.user(10), "date": 1,
                        "old_chat_member": ["status": "member", "user": Fixture.user(50)],
                        "new_chat_member": ["status": .string(status), "user": Fixture.user(50)],
                    ]
                ])
            }
            test.send(memberUpdate(status: "administrator"))
            test.send(Fixture.message("!admin", from: 50))
            test.send(memberUpdate(status: "member"))
            test.send(Fixture.message("!admin", from: 50))
            #expect(test.replies == ["admin ok"])
        }
    }

    @Test func pluginsCanBeDisabledPerChat() async throws {
        try await withRedisServer { server in
            let test = try TestHost(
                plugins: [("echo", #"return { patterns = { "^!e (.*)$" }, run = function(msg, m) return m[1] end }"#)],
                redisURL: server.url
            )
            let redis = try RedisConnection(url: server.url)
            let keys = RuntimeKeys(prefix: test.host.options.config.redisPrefix)
            _ = try redis.call("SADD", keys.disabledPlugins(-5), "echo")
            test.send(Fixture.message("!e in A"))
            test.send(Fixture.message("!e in B", chat: Fixture.chat(-5, type: "group")))
            #expect(test.replies == ["in A"])
        }
    }

    @Test func stateIsPerChat() async throws {
        try await withRedisServer { server in
            let test = try TestHost(
                plugins: [
                    (
                        "remember",
                        #"""
                        return { patterns = { "^!set (.+)$", "^!get$" }, run = function(msg, m)
                          if m[1] ~= "!get" and msg.command == "set" then
                            state.set(msg.chat.id, "note", { text = m[1] }, 60)
                            return "saved"
                          end
                          local note = state.get(msg.chat.id, "note")
                          return note and note.text or "nothing"
                        end }
                        """#
                    )
                ],
                redisURL: server.url
            )
            test.send(Fixture.message("!set hello"))
            test.send(Fixture.message("!get"))
            test.send(Fixture.message("!get", chat: Fixture.chat(-5, type: "group")))
            #expect(test.replies == ["saved", "hello", "nothing"])
            let redis = try RedisConnection(url: server.url)
            let key = RuntimeKeys(prefix: test.host.options.config.redisPrefix).chat(
                Fixture.group,
                "state",
                "remember",
                "note"
            )
            let ttl = try redis.call("TTL", key).int ?? -1
            #expect(ttl > 0 && ttl <= 60)
        }
    }
}
