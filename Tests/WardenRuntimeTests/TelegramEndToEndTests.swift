import Foundation
import Logging
import RedisStore
import TelegramSimulator
import Testing
import WardenJSON
import WardenTestSupport

@testable import WardenRuntime

/// The bot against the simulator over real HTTP, with a real redis-server.
@Suite(.serialized) struct TelegramEndToEndTests {
    static let token = "7000000001:E2E-TEST-TOKEN"

    struct World {
        let simulator: TelegramSimulator
        let control: SimulatorControl
        let redisURL: String
        let pluginDirectory: String
        let group: Int64
        let member: Int64
        let admin: Int64

        func config(_ adjust: (inout WardenConfig) -> Void = { _ in }) -> WardenConfig {
            var config = WardenConfig()
            config.token = Secret(TelegramEndToEndTests.token)
            config.apiBaseURL = simulator.baseURL
            config.redisURL = Secret(redisURL)
            config.redisPrefix = "e2e:"
            config.pluginDirectory = pluginDirectory
            config.pollingTimeout = 1
            config.workers = 2
            adjust(&config)
            return config
        }

        /// Texts the bot sent so far (calls Telegram accepted; refused ones are recorded too).
        func sentTexts() async throws -> [String] {
            try await control.calls(method: "sendMessage").filter { $0["status"]?.int == 200 }
                .compactMap { $0["params"]?["text"]?.string }
        }
    }

    static let plugins = [
        "ping.lua": #"return { patterns = { "^[!/#]ping$" }, run = function() return "pong" end }"#,
        "echo.lua": #"return { patterns = { "^!echo (.+)$" }, run = function(msg, m) return m[1] end }"#,
        "long.lua": #"""
        return { patterns = { "^!long (%d+)$" }, run = function(msg, m)
          local lines = {}
          for i = 1, tonumber(m[1]) do lines[i] = "entry " .. i .. " — é😀 banned for spam" end
          return table.concat(lines, "\n")
        end }
        """#,
        "admins.lua":
            #"return { min_role = "admin", patterns = { "^/adm$" }, run = function(msg) return "admin " .. role_of(msg) end }"#,
        "cleaner.lua": #"""
        return { pre_process = function(msg)
          if msg.text and msg.text:match("^spam") then bot.delete(msg.chat.id, msg.message_id) return nil end
          return msg
        end }
        """#,
    ]

    static func withWorld(_ body: (World) async throws -> Void) async throws {
        try await WorkerTests.withPluginDirectory(plugins) { directory in
            try await withRedisServer { redis in
                try await TestWorlds.withSimulator(.init(token: token, logger: Logger(label: "sim"))) { simulator in
                    let control = SimulatorControl(baseURL: simulator.baseURL)
                    let admin = try await control.createUser(firstName: "Alice", username: "alice")
                    let member = try await control.createUser(firstName: "Bob")
                    let group = try await control.createChat(
                        type: "supergroup",
                        title: "E2E",
                        creator: admin.id,
                        botStatus: "administrator",
                        botRights: ["can_delete_messages", "can_restrict_members", "can_pin_messages"]
                    )
                    try await control.setMember(member.id, in: group.id, status: "member")
                    try await body(
                        World(
                            simulator: simulator,
                            control: control,
                            redisURL: redis.url,
                            pluginDirectory: directory,
                            group: group.id,
                            member: member.id,
                            admin: admin.id
                        )
                    )
                }
            }
        }
    }

    /// Runs the bot while `body` runs, then stops it gracefully.
    static func withBot(
        _ config: WardenConfig,
        ingress: BotRuntime.Ingress,
        _ body: (BotRuntime) async throws -> Void
    )
        async throws
    {
        let runtime = try await BotRuntime(
            config: config,
            ingress: ingress,
            logger: Logger(label: "bot"),
            signals: false
        )
        let running = Task { try await runtime.run() }
        do {
            try await body(runtime)
        } catch {
            await runtime.stop()
            _ = try? await running.value
            throw error
        }
        await runtime.stop()
        try await running.value
    }

    static func eventually(
        timeout: Duration = .seconds(10),
        _ what: String,
        _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting for: \(what)")
    }

    @Test func commandIsAnsweredThroughLongPolling() async throws {
        try await Self.withWorld { world in
            try await Self.withBot(world.config(), ingress: .polling(dropPendingUpdates: false)) { _ in
                try await world.control.send(from: world.member, in: world.group, text: "/ping")
                try await Self.eventually("pong") { try await world.sentTexts() == ["pong"] }
            }
            // The offset was stored: a second run does not answer again.
            try await Self.withBot(world.config(), ingress: .polling(dropPendingUpdates: false)) { _ in
                try await world.control.send(from: world.member, in: world.group, text: "!echo again")
                try await Self.eventually("echo") { try await world.sentTexts() == ["pong", "again"] }
            }
        }
    }

    /// A /banlist of a big group: a reply longer than one message arrives whole, as several that Telegram
    /// accepts, split at line breaks, the first of them the reply.
    @Test func aReplyTooLongForOneMessageArrivesAsSeveral() async throws {
        try await Self.withWorld { world in
            try await Self.withBot(world.config(), ingress: .polling(dropPendingUpdates: false)) { _ in
                try await world.control.send(from: world.member, in: world.group, text: "!long 400")
                try await Self.eventually("every part") { try await world.sentTexts().count >= 4 }
                try await Task.sleep(for: .milliseconds(300))
                let calls = try await world.control.calls(method: "sendMessage")
                #expect(calls.allSatisfy { $0["status"]?.int == 200 }, "\(calls)")
                let parts = try await world.sentTexts()
                let expected = (1...400).map { "entry \($0) — é😀 banned for spam" }.joined(separator: "\n")
                #expect(parts.joined(separator: "\n") == expected)
                #expect(parts.allSatisfy { $0.utf16.count <= 4096 && !$0.hasPrefix("\n") })
                #expect(parts.count == 4)
                #expect(calls.first?["params"]?["reply_parameters"] != nil)
                #expect(calls.dropFirst().allSatisfy { $0["params"]?["reply_parameters"] == nil })
            }
        }
    }

    @Test func adminsAreLearnedFromTelegramWhenTheCacheIsEmpty() async throws {
        try await Self.withWorld { world in
            try await Self.withBot(world.config(), ingress: .polling(dropPendingUpdates: false)) { _ in
                try await world.control.send(from: world.member, in: world.group, text: "/adm")
                try await world.control.send(from: world.admin, in: world.group, text: "/adm")
                try await Self.eventually("the creator's admin command") {
                    try await world.sentTexts() == ["admin owner"]
                }
            }
            #expect(try await world.control.calls(method: "getChatAdministrators").count == 1)
        }
    }

    @Test func aGroupsAdminListIsFetchedWhenTheGroupIsFirstSeenAndCached() async throws {
        try await Self.withWorld { world in
            try await Self.withBot(world.config(), ingress: .polling(dropPendingUpdates: false)) { bot in
                // An ordinary message, no command: the list is fetched in the background all the same.
                try await world.control.send(from: world.member, in: world.group, text: "hello")
                try await Self.eventually("the background fetch") {
                    try await world.control.calls(method: "getChatAdministrators").count == 1
                }
                // The next batch writes it to the cache; the admin's command then needs no call of its own.
                try await world.control.send(from: world.member, in: world.group, text: "hello again")
                let redis = try RedisConnection(url: world.redisURL)
                let keys = RuntimeKeys(prefix: "e2e:")
                try await Self.eventually("the cached list") {
                    try redis.call("HGET", keys.chat(world.group, "admins"), String(world.admin)).string == "creator"
                }
                #expect(try redis.call("TTL", keys.chat(world.group, "admins_fetched")).int ?? 0 > 500)
                let fetchedAt = try #require(
                    Double(redis.call("GET", keys.chat(world.group, "admins_fetched")).string ?? "")
                )
                #expect(abs(fetchedAt - Date().timeIntervalSince1970) < 30)
                try await world.control.send(from: world.admin, in: world.group, text: "/adm")
                try await Self.eventually("the creator's admin command") {
                    try await world.sentTexts() == ["admin owner"]
                }
                #expect(try await world.control.calls(method: "getChatAdministrators").count == 1)
                // A list about to expire is fetched again in the background by the role lookup that sees it.
                let longAgo = String(Int(Date().timeIntervalSince1970) - 540)
                _ = try redis.call("SET", keys.chat(world.group, "admins_fetched"), longAgo, "EX", "60")
                // The bot reads the mark through its read cache: wait until the cache has heard of the change.
                let channel = try #require(await bot.readCacheSyncChannel)
                _ = try redis.call("PUBLISH", channel, "aged")
                await bot.readCacheBarrier("aged")
                try await world.control.send(from: world.member, in: world.group, text: "/adm")
                try await Self.eventually("the list fetched again") {
                    try await world.control.calls(method: "getChatAdministrators").count == 2
                }
                try await world.control.send(from: world.member, in: world.group, text: "hello once more")
                try await Self.eventually("the list cached again") {
                    try redis.call("TTL", keys.chat(world.group, "admins_fetched")).int ?? 0 > 500
                }
            }
        }
    }

    @Test func commandIsAnsweredThroughTheWebhook() async throws {
        try await Self.withWorld { world in
            let port = try RedisTestServer.freeLoopbackPort()
            let config = world.config { config in
                config.webhookListenPort = port
                config.webhookSecret = Secret("e2e-secret-token")
            }
            try await Self.withBot(
                config,
                ingress: .webhook(url: "http://127.0.0.1:\(port)/hook", dropPendingUpdates: false)
            ) { _ in
                let info = try await world.control.calls(method: "setWebhook")
                #expect(info.first?["params"]?["secret_token"] == "e2e-secret-token")
                try await world.control.send(from: world.member, in: world.group, text: "/ping")
                try await Self.eventually("pong by webhook") { try await world.sentTexts() == ["pong"] }
            }
        }
    }

    @Test func pollingSurvivesSimulatorFaultsAndObeysRetryAfter() async throws {
        try await Self.withWorld { world in
            try await Self.withBot(world.config(), ingress: .polling(dropPendingUpdates: false)) { _ in
                try await world.control.fault(.internalError, count: 3, methods: ["getUpdates"])
                try await world.control.fault(.tooManyRequests, count: 1, methods: ["sendMessage"], retryAfter: 2)
                let sent = ContinuousClock.now
                try await world.control.send(from: world.member, in: world.group, text: "/ping")
                try await Self.eventually(timeout: .seconds(20), "pong after faults") {
                    try await world.sentTexts() == ["pong"]
                }
                // The first sendMessage got 429 with retry_after 2: the answer cannot have come sooner.
                #expect(ContinuousClock.now - sent >= .seconds(2))
                #expect(try await world.control.state()["too_many_requests"]?.int == 1)
            }
        }
    }

    @Test func pollingSurvivesASimulatorRestart() async throws {
        try await Self.withWorld { world in
            let port = Int(world.simulator.baseURL.split(separator: ":").last ?? "") ?? 0
            try await Self.withBot(world.config(), ingress: .polling(dropPendingUpdates: false)) { _ in
                try await world.control.send(from: world.member, in: world.group, text: "/ping")
                try await Self.eventually("first pong") { try await world.sentTexts() == ["pong"] }
                await world.simulator.stop()
                try await Task.sleep(for: .seconds(2))  // the bot's polls fail meanwhile
                // Telegram keeps counting update ids across its restarts; so does this one.
                let restarted = TelegramSimulator.Configuration(
                    port: port,
                    token: Self.token,
                    firstUpdateID: 900_000_000,
                    logger: Logger(label: "sim2")
                )
                try await TestWorlds.withSimulator(restarted) { again in
                    let control = SimulatorControl(baseURL: again.baseURL)
                    let user = try await control.createUser(firstName: "Bob", id: world.member)
                    let chat = try await control.createChat(type: "private", id: user.id, userID: user.id)
                    try await control.send(from: user.id, in: chat.id, text: "/ping")
                    try await Self.eventually(timeout: .seconds(20), "pong after restart") {
                        try await control.calls(method: "sendMessage").count == 1
                    }
                }
            }
        }
    }

    @Test func aBurstStaysWithinLimitsAndDeletionsAreBatched() async throws {
        try await Self.withWorld { world in
            try await Self.withBot(world.config(), ingress: .polling(dropPendingUpdates: false)) { _ in
                for index in 0..<500 {
                    try await world.control.send(from: world.member, in: world.group, text: "spam \(index)")
                }
                for index in 0..<5 {
                    try await world.control.send(from: world.member, in: world.group, text: "!echo \(index)")
                }
                try await Self.eventually(timeout: .seconds(30), "spam gone and echoes sent") {
                    let visible = try await world.control.messages(in: world.group)
                    let spamLeft = visible.contains { $0["text"]?.string?.hasPrefix("spam") == true }
                    let sent = try await world.sentTexts().count
                    return !spamLeft && sent == 5
                }
            }
            let state = try await world.control.state()
            // The outbox spaces requests as it sends them, the simulator counts them as they arrive: on a
            // starved CPU a few sent apart can arrive together. One 429, honoured, is the most allowed.
            #expect((state["too_many_requests"]?.int ?? 0) <= 1, "\(state)")
            let deletions = try await world.control.calls(method: "deleteMessages")
            let merged = deletions.reduce(0) { $0 + ($1["params"]?["message_ids"]?.array?.count ?? 0) }
            let single = try await world.control.calls(method: "deleteMessage").count
            #expect(merged + single == 500)
            // Far fewer requests than messages: deletions arriving together went out together.
            #expect(
                deletions.count + single <= 100,
                "\(deletions.count) deleteMessages and \(single) deleteMessage calls"
            )
            #expect(try await world.sentTexts() == ["0", "1", "2", "3", "4"])
        }
    }
}
