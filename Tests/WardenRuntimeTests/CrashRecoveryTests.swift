import Foundation
import Logging
import RedisStore
import TelegramSimulator
import Testing
import WardenJSON
import WardenTestSupport

@testable import WardenRuntime

/// The real `warden` binary, killed with SIGKILL in the middle of a batch and started again.
@Suite(.serialized) struct CrashRecoveryTests {
    static var binary: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/warden")
    }

    static func launch(config: String) throws -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["run", "--config", config, "--log-level", "warning"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// A simulator with `total` messages queued for a bot whose plugin takes ~40 ms per message (so a batch
    /// is still being handled when a signal comes) and counts each dispatch in Redis, a redis-server, and
    /// a config file for `warden run`.
    static func withSlowEchoWorld(
        prefix: String,
        total: Int = 60,
        _ body: (SimulatorControl, _ config: String, _ total: Int, _ redis: RedisConnection) async throws -> Void
    ) async throws {
        let slowEcho = #"""
            return { patterns = { "^n(%d+)$" }, run = function(msg, m)
              redis:hincrby(keys.global("dispatched"), m[1], 1)
              local started = os.clock()
              while os.clock() - started < 0.04 do end
              return "ack " .. m[1]
            end }
            """#
        try await WorkerTests.withPluginDirectory(["slow_echo.lua": slowEcho]) { directory in
            try await withRedisServer { redis in
                let token = "7000000001:CRASH-TEST"
                let simulator = TelegramSimulator(
                    configuration: .init(token: token, rateLimits: nil, logger: Logger(label: "sim"))
                )
                try await simulator.start()
                defer { Task { await simulator.stop() } }
                let control = SimulatorControl(baseURL: simulator.baseURL)
                let user = try await control.createUser(firstName: "Bob")
                let chat = try await control.createChat(type: "private", userID: user.id)
                let config = URL(fileURLWithPath: directory).appendingPathComponent("config.toml")
                try """
                token = "\(token)"
                [redis]
                url = "\(redis.url)"
                prefix = "\(prefix)"
                [plugins]
                directory = "\(directory)"
                [telegram]
                api_base_url = "\(simulator.baseURL)"
                polling_timeout = 1
                [runtime]
                workers = 1
                [outbox]
                chat_per_second = 20
                """.write(to: config, atomically: true, encoding: .utf8)
                for index in 0..<total { try await control.send(from: user.id, in: chat.id, text: "n\(index)") }
                try await body(control, config.path, total, try redis.connect())
            }
        }
    }

    /// Waits until the bot has answered `count` messages.
    static func waitForAnswers(_ control: SimulatorControl, _ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while try await control.calls(method: "sendMessage").count < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Once a second process has run: every message dispatched at least once (the plugin counts them in
    /// Redis), none answered twice, and at most `lost` answers missing. An action is claimed just before
    /// its request goes out, so a SIGKILL while one is in flight loses it (at most once, never twice).
    static func expectAllDispatchedNoneAnsweredTwice(
        _ control: SimulatorControl,
        _ config: String,
        _ total: Int,
        _ redis: RedisConnection,
        prefix: String,
        lost: Int
    ) async throws {
        let second = try launch(config: config)
        defer {
            second.terminate()
            second.waitUntilExit()
        }
        // After a SIGKILL the dead process's lease runs out within polling_timeout + 10 s.
        try await TelegramEndToEndTests.eventually(timeout: .seconds(45), "all answered") {
            try await control.calls(method: "sendMessage").count >= total - lost
                && redis.call("HLEN", prefix + "dispatched").int == Int64(total)
        }
        try await Task.sleep(for: .milliseconds(1000))  // anything answered twice, or late, would show up now
        let texts = try await control.calls(method: "sendMessage").compactMap { $0["params"]?["text"]?.string }
        #expect(texts.count == Set(texts).count, "a message answered twice: \(texts.sorted())")
        #expect(texts.count >= total - lost, "\(texts.count) replies for \(total) messages")
        #expect(Set(texts).isSubset(of: Set((0..<total).map { "ack \($0)" })))
        let dispatched = try redis.call("HGETALL", prefix + "dispatched").array ?? []
        #expect(dispatched.count == 2 * total, "every update dispatched at least once")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary.path)))
    func killedWhileHandlingABatchLosesNothingAndAnswersNothingTwice() async throws {
        // A full first batch: the bot fetches the next while handling it, and so confirms it to Telegram; the
        // killed bot's successor finds it in the update inbox only.
        try await Self.withSlowEchoWorld(prefix: "crash:", total: 150) { control, config, total, redis in
            let first = try Self.launch(config: config)
            // A batch's actions wait for its ledger entry, so nothing of it is sent yet: all is redone.
            try await TelegramEndToEndTests.eventually(timeout: .seconds(20), "dispatching") {
                try redis.call("HLEN", "crash:dispatched").int ?? 0 >= 10
            }
            kill(first.processIdentifier, SIGKILL)
            first.waitUntilExit()
            let dispatchedBeforeKill = try redis.call("HLEN", "crash:dispatched").int ?? 0
            #expect(dispatchedBeforeKill < total, "the kill came too late to test anything")
            let inbox = RuntimeKeys(prefix: "crash:").updateInboxKey(botID: 7_000_000_001).rawValue
            #expect(try redis.call("HLEN", inbox).int == 1, "the first batch was kept in the inbox")
            try await Self.expectAllDispatchedNoneAnsweredTwice(
                control,
                config,
                total,
                redis,
                prefix: "crash:",
                lost: 0
            )
            #expect(try redis.call("HLEN", inbox).int == 0, "the inbox forgets the batches once handled")
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary.path)))
    func killedWhileSendingAnswersNothingTwiceAndLosesAtMostTheRequestInFlight() async throws {
        try await Self.withSlowEchoWorld(prefix: "sending:") { control, config, total, redis in
            let first = try Self.launch(config: config)
            try await Self.waitForAnswers(control, 12)
            kill(first.processIdentifier, SIGKILL)
            first.waitUntilExit()
            let answeredBeforeKill = try await control.calls(method: "sendMessage").count
            #expect(answeredBeforeKill < total, "the kill came too late to test anything")
            try await Self.expectAllDispatchedNoneAnsweredTwice(
                control,
                config,
                total,
                redis,
                prefix: "sending:",
                lost: 1
            )
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary.path)))
    func sigtermFinishesTheBatchFlushesTheOutboxAndExitsZero() async throws {
        try await Self.withSlowEchoWorld(prefix: "term:") { control, config, total, redis in
            let first = try Self.launch(config: config)
            try await Self.waitForAnswers(control, 12)
            let stopping = ContinuousClock.now
            first.terminate()  // SIGTERM
            first.waitUntilExit()
            #expect(first.terminationReason == .exit && first.terminationStatus == 0)
            #expect(ContinuousClock.now - stopping < .seconds(15), "stopped within the outbox's flush deadline")
            try await Self.expectAllDispatchedNoneAnsweredTwice(control, config, total, redis, prefix: "term:", lost: 0)
        }
    }
}
