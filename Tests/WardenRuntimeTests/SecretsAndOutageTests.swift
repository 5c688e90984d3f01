import Foundation
import Logging
import TelegramSimulator
import Testing
import WardenJSON
import WardenTestSupport

@testable import WardenRuntime

/// The whole bot with a password-protected Redis: secrets stay out of everything it prints or serves, and
/// a Redis outage is waited out, not busy-looped through, with nothing lost or repeated.
@Suite(.serialized) struct SecretsAndOutageTests {
    static let token = "7000000002:TOKEN-SECRET-PART-do-not-print"
    static let password = "redis-password-do-not-print"
    static let plugins = [
        "ping.lua": #"return { patterns = { "^/ping (%d+)$" }, run = function(msg, m) return "pong " .. m[1] end }"#,
        "boom.lua": #"return { patterns = { "^/boom$" }, run = function() error("boom in the plugin") end }"#,
    ]

    struct Bot {
        let control: SimulatorControl
        let chat: Int64
        let user: Int64
        let logs: LogRecorder
        let statusPort: Int
        let redis: RedisTestServer

        func pongs() async throws -> [String] {
            try await control.calls(method: "sendMessage").filter { $0["status"]?.int == 200 }
                .compactMap { $0["params"]?["text"]?.string }.filter { $0.hasPrefix("pong") }
        }

        func http(_ path: String) async throws -> String {
            try await StatusServerTests.get("http://127.0.0.1:\(statusPort)\(path)")
        }
    }

    /// - Parameter redisDownAtStart: Redis is paused (connections hang) for this long as the bot starts.
    static func withBot(redisDownAtStart: Duration? = nil, _ body: (Bot) async throws -> Void) async throws {
        let redis = try await RedisTestServer.start(password: password)
        defer { redis.stop() }
        try await WorkerTests.withPluginDirectory(plugins) { directory in
            try await TestWorlds.withSimulator(.init(token: token, logger: Logger(label: "sim"))) { simulator in
                let control = SimulatorControl(baseURL: simulator.baseURL)
                let user = try await control.createUser(firstName: "Ann")
                let chat = try await control.createChat(type: "private", userID: user.id)
                var config = WardenConfig()
                config.token = Secret(token)
                config.apiBaseURL = simulator.baseURL
                config.redisURL = Secret(redis.url)
                config.pluginDirectory = directory
                config.pollingTimeout = 1
                config.workers = 2
                config.statusListenPort = try RedisTestServer.freeLoopbackPort()
                let logs = LogRecorder()
                if let redisDownAtStart {
                    redis.pause()
                    Task {
                        try? await Task.sleep(for: redisDownAtStart)
                        redis.resume()
                    }
                }
                let runtime = try await BotRuntime(
                    config: config,
                    ingress: .polling(dropPendingUpdates: false),
                    logger: logs.logger,
                    signals: false
                )
                let running = Task { try await runtime.run() }
                let bot = Bot(
                    control: control,
                    chat: chat.id,
                    user: user.id,
                    logs: logs,
                    statusPort: config.statusListenPort,
                    redis: redis
                )
                do {
                    try await body(bot)
                } catch {
                    await runtime.stop()
                    _ = try? await running.value
                    throw error
                }
                await runtime.stop()
                try await running.value
            }
        }
    }

    @Test func aPasswordRedisWorksAndNoSecretReachesLogsErrorsOrMetrics() async throws {
        try await Self.withBot { bot in
            try await bot.control.send(from: bot.user, in: bot.chat, text: "/ping 1")
            try await bot.control.send(from: bot.user, in: bot.chat, text: "/boom")
            // Telegram failing makes the bot log errors with request details.
            try await bot.control.fault(.internalError, count: 3)
            try await bot.control.send(from: bot.user, in: bot.chat, text: "/ping 2")
            try await TelegramEndToEndTests.eventually(timeout: .seconds(20), "both pongs") {
                try await bot.pongs().count == 2
            }
            let served = try await bot.http("/metrics") + bot.http("/health")
            #expect(served.contains("warden"), "the status server answered")
            let printed = bot.logs.lines.joined(separator: "\n") + served
            #expect(printed.contains("boom in the plugin"), "the plugin's error was logged")
            for secret in [Self.token, "TOKEN-SECRET-PART", Self.password] {
                #expect(!printed.contains(secret), "\(secret) was printed")
            }
        }
    }

    @Test func aBotStartedWhileRedisIsDownWaitsForItThenWorks() async throws {
        let started = ContinuousClock.now
        try await Self.withBot(redisDownAtStart: .seconds(3)) { bot in
            #expect(ContinuousClock.now - started >= .seconds(3), "the bot came up before Redis did")
            #expect(bot.logs.lines.contains { $0.contains("Redis unreachable at start; waiting for it") })
            #expect(bot.logs.lines.filter { $0.contains("Redis unreachable") }.count == 1, "warned once")
            try await bot.control.send(from: bot.user, in: bot.chat, text: "/ping 7")
            try await TelegramEndToEndTests.eventually(timeout: .seconds(20), "the pong") {
                try await bot.pongs() == ["pong 7"]
            }
        }
    }

    @Test func aRedisOutageIsWaitedOutThenEveryMessageIsAnsweredOnce() async throws {
        try await Self.withBot { bot in
            try await bot.control.send(from: bot.user, in: bot.chat, text: "/ping 0")
            try await TelegramEndToEndTests.eventually(timeout: .seconds(20), "the first pong") {
                try await bot.pongs().count == 1
            }
            let before = bot.logs.lines.count
            let outage = Task { try await bot.redis.restartKeepingData(downtime: .seconds(4)) }
            try await Task.sleep(for: .milliseconds(300))
            for number in 1...5 { try await bot.control.send(from: bot.user, in: bot.chat, text: "/ping \(number)") }
            try await outage.value
            try await TelegramEndToEndTests.eventually(timeout: .seconds(30), "all pongs after the outage") {
                try await bot.pongs().count == 6
            }
            try await Task.sleep(for: .seconds(1))
            #expect(try await bot.pongs().sorted() == (0...5).map { "pong \($0)" }, "each answered once")
            // Waiting with backoff logs a handful of lines; a busy loop would log thousands.
            let during = bot.logs.lines.count - before
            #expect(during < 60, "\(during) log lines during a 4 s outage")
        }
    }
}
