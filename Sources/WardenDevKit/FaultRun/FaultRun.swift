import Foundation
public import Logging
import RedisStore
import TelegramSimulator
import WardenJSON
import WardenTestSupport

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `warden faults`: the real `warden run` process against the simulator and a private redis-server, fed a
/// backlog of messages, while the run kills it with SIGKILL at random points (and starts it again),
/// restarts Redis once, and has Telegram answer 500s, time-outs and 429 storms for a while. Then it
/// counts: every update dispatched at least once, no reply, ban or deletion made twice (docs/reliability.md).
public struct FaultRun: Sendable {
    public struct Options: Sendable {
        public var updates = 10_000
        public var kills = 5
        public var redisRestarts = 1
        public var faultBursts = 3
        public var groups = 20
        public var users = 400
        public var seed: UInt64 = 7
        /// The `warden` executable to run and kill.
        public var binary: String
        /// The shipped plugins, copied next to the probe.
        public var pluginDirectory = "plugins"
        /// Leave the bot's config and logs (one file per start) in place, and say where.
        public var keepFiles = false
        public init(binary: String) { self.binary = binary }
    }

    let options: Options
    let logger: Logger

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    static let botID = 7_300_000_001
    static let token = "\(botID):FAULT-RUN-TOKEN"

    public func run(progress: @escaping @Sendable (String) -> Void) async throws -> FaultRunReport {
        let redis = try await RedisTestServer.start()
        defer { redis.stop() }
        let simulator = TelegramSimulator(
            configuration: .init(token: Self.token, rateLimits: nil, recordedCallLimit: 10_000_000, logger: logger)
        )
        try await simulator.start()
        let directory = try FaultRunWorld.pluginDirectory(copying: options.pluginDirectory)
        defer {
            if options.keepFiles {
                progress("config and logs kept in \(directory)")
            } else {
                try? FileManager.default.removeItem(atPath: directory)
            }
        }
        do {
            let report = try await drive(simulator: simulator, redis: redis, directory: directory, progress: progress)
            await simulator.stop()
            return report
        } catch {
            await simulator.stop()
            throw error
        }
    }

    private func drive(
        simulator: TelegramSimulator,
        redis: RedisTestServer,
        directory: String,
        progress: @Sendable (String) -> Void
    ) async throws -> FaultRunReport {
        progress("seeding \(options.groups) groups and \(options.users) users")
        let world = try await simulator.seedBench(groups: options.groups, users: options.users)
        let connection = try redis.connect()
        for group in world.groupIDs {
            _ = try connection.call("HSET", "warden:{chat:\(group)}:settings", "lock.links", "delete")
        }
        progress("queuing \(options.updates) messages")
        let messages = FaultRunWorld.messages(count: options.updates, world: world, seed: options.seed)
        var posts: [FaultRunWorld.Post] = []
        for chunk in stride(from: 0, to: messages.count, by: 2_000) {
            let slice = messages[chunk..<min(chunk + 2_000, messages.count)]
            for (offset, id) in await simulator.post(slice.map(\.post)).enumerated() {
                guard let id else { continue }
                let (kind, post) = slice[slice.startIndex + offset]
                posts.append(
                    .init(
                        index: chunk + offset,
                        kind: kind,
                        chatID: post.chatID,
                        userID: post.from,
                        messageID: id
                    )
                )
            }
        }
        let configPath = directory + "/config.toml"
        let statusPort = try RedisTestServer.freeLoopbackPort()
        try FaultRunWorld.config(
            token: Self.token,
            redisURL: redis.url,
            apiBaseURL: simulator.baseURL,
            pluginDirectory: directory,
            statusPort: statusPort
        ).write(toFile: configPath, atomically: true, encoding: .utf8)

        var report = FaultRunReport()
        report.updatesInjected = posts.count
        let bot = BotProcess(binary: options.binary, config: configPath, logDirectory: directory)
        defer { bot.stop() }  // on an error too: no bot left running
        try bot.launch()
        let control = SimulatorControl(baseURL: simulator.baseURL)
        var schedule = FaultSchedule(options: options, total: posts.count)
        var outage: Task<Void, Never>?
        defer { outage?.cancel() }
        while let event = schedule.next() {
            try await waitForProgress(event.threshold, of: posts.count, redis: redis)
            switch event.kind {
            case .kill:
                progress("SIGKILL at \(event.threshold * 100 / posts.count)% dispatched; starting again")
                bot.kill()
                try bot.launch()
                report.kills += 1
            case .redisRestart:
                progress("restarting Redis (2 s down) at \(event.threshold * 100 / posts.count)%")
                try await redis.restartKeepingData(downtime: .seconds(2))
                report.redisRestarts += 1
            case .faults(let burst):
                progress("Telegram answers \(burst.description) at \(event.threshold * 100 / posts.count)%")
                try await control.fault(
                    burst.kind,
                    count: burst.count,
                    seconds: burst.seconds,
                    retryAfter: burst.retryAfter
                )
                report.faultsInjected[burst.kind.rawValue, default: 0] += burst.count
                // An outage ends with time, as Telegram's do: a bot killed meanwhile waits out its getMe
                // backoff (up to 30 s a try) and would otherwise spend the rest of the burst for minutes.
                outage?.cancel()
                outage = Task {
                    try? await Task.sleep(for: FaultSchedule.longestOutage)
                    if !Task.isCancelled { try? await control.clearFaults() }
                }
            }
        }
        progress("waiting for every update and action")
        let deadline = ContinuousClock.now + .seconds(600)
        while Set(bot.dispatchedIndices().keys).count < posts.count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(250))
        }
        // Retries back off up to 30 s after the fault bursts: wait until the journal has given every action
        // to a request, then until Telegram has heard nothing new for a while.
        while (try? connection.call("HLEN", "warden:bot:\(Self.botID):outbox").int) != 0,
            ContinuousClock.now < deadline
        {
            try await Task.sleep(for: .milliseconds(250))
        }
        try await Self.waitUntilOutboxIdle(statusPort: statusPort, deadline: deadline)
        bot.stop()
        report.analyze(posts: posts, dispatched: bot.dispatchedIndices(), calls: await simulator.recordedCalls())
        for group in Set(posts.filter { $0.kind == .spam }.map(\.chatID)) {
            let spam = posts.filter { $0.kind == .spam && $0.chatID == group }.map(\.messageID)
            report.spamLeft += await simulator.present(spam, in: group).count
        }
        report.botStarts = bot.starts
        return report
    }

    /// Waits until the probe's gauge in Redis reaches `threshold` dispatches (it may lag during an outage).
    private func waitForProgress(_ threshold: Int, of total: Int, redis: RedisTestServer) async throws {
        let deadline = ContinuousClock.now + .seconds(300)
        while ContinuousClock.now < deadline {
            if let connection = try? redis.connect(),
                let done = try? connection.call("GET", "warden:fault_run_progress").int, done >= threshold
            {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw FaultRunError(description: "the bot did not reach \(threshold) of \(total) dispatches within 300 s")
    }

    /// Until the bot's `/health` shows nothing queued or in flight in its outbox, twice in a row.
    static func waitUntilOutboxIdle(statusPort: Int, deadline: ContinuousClock.Instant) async throws {
        let url = URL(string: "http://127.0.0.1:\(statusPort)/health")!
        var idleInARow = 0
        while idleInARow < 2, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(500))
            guard let (data, _) = try? await URLSession.shared.data(from: url),
                let health = try? JSONValue(parsing: Array(data)), let outbox = health["outbox"]
            else { continue }
            idleInARow = outbox["queued"]?.int == 0 && outbox["in_flight"]?.int == 0 ? idleInARow + 1 : 0
        }
    }
}

public struct FaultRunError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
