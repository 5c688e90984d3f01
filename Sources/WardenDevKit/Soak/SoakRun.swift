import Foundation
import FoundationNetworking
public import Logging
import RedisStore
import TelegramSimulator
public import WardenJSON
import WardenTestSupport

/// `warden soak`: `warden run` as a process of its own, with every shipped plugin, fed the bench's mixed
/// traffic at a steady rate for minutes, its RSS and Redis's memory sampled every few seconds. Memory that
/// keeps growing under a steady load is a leak; the report gives the growth from the first to the last
/// part of the run (docs/reliability.md).
public struct SoakRun: Sendable {
    public struct Options: Sendable {
        public var seconds = 600.0
        public var rate = 2_000
        public var sampleEvery = 10.0
        public var groups = 1_000
        public var users = 10_000
        public var binary: String
        public var pluginDirectory = "plugins"
        public init(binary: String) { self.binary = binary }
    }

    public struct Sample: Sendable {
        public var second: Double
        public var botRSS: Double
        public var redisMemory: Double
        /// What the workers' Lua states hold, from the bot's `/metrics` (`warden_lua_memory_bytes`).
        public var luaMemory: Double
        public var handled: Int
    }

    public struct Report: Sendable {
        public var offered = 0
        public var handled = 0
        public var samples: [Sample] = []
        public var rate = 0
        public var seconds = 0.0
        /// Posts Telegram refused (senders muted for flooding); not updates.
        public var refused = 0

        /// Highest of the first and of the last quarter of the samples, so warm-up and noise do not count.
        func growth(_ value: (Sample) -> Double) -> (first: Double, last: Double) {
            let quarter = max(1, samples.count / 4)
            let first = samples.prefix(quarter).map(value).max() ?? 0
            let last = samples.suffix(quarter).map(value).max() ?? 0
            return (first, last)
        }

        /// Lowest of the first and of the last half (the middle sample in both): what the Lua collector
        /// leaves. Lua's memory rises and falls with each full collection, so its highs may compare a peak
        /// with a trough; its lows rise only if something is kept (in a run long enough for a full collection
        /// in each half: about three minutes at 2,000 updates/s).
        func floor(_ value: (Sample) -> Double) -> (first: Double, last: Double) {
            let half = max(1, (samples.count + 1) / 2)
            return (samples.prefix(half).map(value).min() ?? 0, samples.suffix(half).map(value).min() ?? 0)
        }

        public var table: String {
            let rss = growth(\.botRSS)
            let redis = growth(\.redisMemory)
            let lua = growth(\.luaMemory)
            let luaFloor = floor(\.luaMemory)
            let lines = samples.map {
                String(
                    format: "  %6.0f s   bot RSS %6.1f MB (Lua %5.1f MB)   Redis %6.1f MB   %d handled",
                    $0.second,
                    $0.botRSS,
                    $0.luaMemory,
                    $0.redisMemory,
                    $0.handled
                )
            }
            return
                (lines + [
                    "  offered \(offered) updates in "
                        + String(
                            format: "%.0f s (%.0f/s, asked %d/s)",
                            seconds,
                            Double(offered) / max(seconds, 1),
                            rate
                        )
                        + "; handled \(handled); \(refused) more posts refused by Telegram (muted senders)",
                    String(
                        format: "  bot RSS, highest of the first and the last quarter: %.1f → %.1f MB (%+.1f MB)",
                        rss.first,
                        rss.last,
                        rss.last - rss.first
                    ),
                    String(
                        format: "  of it in Lua, likewise: %.1f → %.1f MB (%+.1f MB)",
                        lua.first,
                        lua.last,
                        lua.last - lua.first
                    ),
                    String(
                        format:
                            "  Lua, lowest of the first and the last half (what collections leave): %.1f → %.1f MB (%+.1f MB)",
                        luaFloor.first,
                        luaFloor.last,
                        luaFloor.last - luaFloor.first
                    ),
                    String(
                        format: "  Redis used_memory, likewise: %.1f → %.1f MB (%+.1f MB)",
                        redis.first,
                        redis.last,
                        redis.last - redis.first
                    ),
                ]).joined(separator: "\n")
        }

        public var json: JSONValue {
            let rss = growth(\.botRSS)
            let redis = growth(\.redisMemory)
            let lua = growth(\.luaMemory)
            let luaFloor = floor(\.luaMemory)
            return [
                "offered": .int(Int64(offered)), "handled": .int(Int64(handled)), "rate": .int(Int64(rate)),
                "bot_rss_first_mb": .double(rss.first), "bot_rss_last_mb": .double(rss.last),
                "redis_first_mb": .double(redis.first), "redis_last_mb": .double(redis.last),
                "lua_first_mb": .double(lua.first), "lua_last_mb": .double(lua.last),
                "lua_floor_first_mb": .double(luaFloor.first), "lua_floor_last_mb": .double(luaFloor.last),
                "samples": .array(
                    samples.map {
                        [
                            "second": .double($0.second), "bot_rss_mb": .double($0.botRSS),
                            "lua_mb": .double($0.luaMemory), "redis_mb": .double($0.redisMemory),
                            "handled": .int(Int64($0.handled)),
                        ]
                    }
                ),
            ]
        }
    }

    let options: Options
    let logger: Logger

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    static let token = "7400000001:SOAK-TOKEN"

    public func run(progress: @escaping @Sendable (String) -> Void) async throws -> Report {
        let redis = try await RedisTestServer.start()
        defer { redis.stop() }
        // Telegram's limits are off: a queue growing behind them would be growth by design, not a leak.
        let simulator = TelegramSimulator(
            configuration: .init(token: Self.token, rateLimits: nil, recordedCallLimit: 20_000, logger: logger)
        )
        try await simulator.start()
        let directory = try PluginDirectoryCopy.make(copying: options.pluginDirectory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bot = BotProcess(binary: options.binary, config: directory + "/config.toml", logDirectory: directory)
        do {
            let report = try await soak(simulator: simulator, redis: redis, bot: bot, progress: progress)
            bot.stop()
            await simulator.stop()
            return report
        } catch {
            bot.stop()
            await simulator.stop()
            throw error
        }
    }

    private func soak(
        simulator: TelegramSimulator,
        redis: RedisTestServer,
        bot: BotProcess,
        progress: @Sendable (String) -> Void
    ) async throws -> Report {
        progress("seeding \(options.groups) groups and \(options.users) users")
        let world = try await simulator.seedBench(groups: options.groups, users: options.users)
        let statusPort = try RedisTestServer.freeLoopbackPort()
        try FaultRunWorld.config(
            token: Self.token,
            redisURL: redis.url,
            apiBaseURL: simulator.baseURL,
            pluginDirectory: bot.logDirectory,
            plugins: nil,
            statusPort: statusPort
        ).write(toFile: bot.config, atomically: true, encoding: .utf8)
        try bot.launch(logLevel: "warning")
        let connection = try redis.connect()
        var workload = BenchWorkload(world: world, seed: 11)
        var report = Report()
        report.rate = options.rate
        progress("\(options.rate) updates/s for \(Int(options.seconds)) s")
        let started = ContinuousClock.now
        var posted = 0
        var nextSample = options.sampleEvery
        while true {
            let elapsed = (ContinuousClock.now - started).seconds
            if elapsed >= options.seconds { break }
            // Catch up to the rate whatever a round took, counting only what Telegram accepted (it refuses
            // senders the bot muted for flooding), so the bot gets the load asked for.
            let due = min(Int(elapsed * Double(options.rate)) - report.offered, options.rate)
            if due > 0 {
                let now = Int64(Date().timeIntervalSince1970)
                report.offered += await simulator.post(workload.posts(count: due, now: now, spread: 1).posts)
                    .compactMap { $0 }.count
                posted += due
                report.refused = posted - report.offered
            }
            if elapsed >= nextSample {
                nextSample += options.sampleEvery
                let sample = await self.sample(
                    at: elapsed,
                    bot: bot,
                    statusPort: statusPort,
                    redis: connection,
                    simulator: simulator,
                    offered: report.offered
                )
                report.samples.append(sample)
                progress(
                    String(
                        format: "%4.0f s: bot RSS %.1f MB (Lua %.1f MB), Redis %.1f MB, backlog %d",
                        elapsed,
                        sample.botRSS,
                        sample.luaMemory,
                        sample.redisMemory,
                        report.offered - sample.handled
                    )
                )
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        report.seconds = (ContinuousClock.now - started).seconds
        let deadline = ContinuousClock.now + .seconds(60)
        while await simulator.pendingUpdateCount > 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        report.handled = report.offered - (await simulator.pendingUpdateCount)
        return report
    }

    private func sample(
        at second: Double,
        bot: BotProcess,
        statusPort: Int,
        redis: RedisConnection,
        simulator: TelegramSimulator,
        offered: Int
    ) async -> Sample {
        let info = (try? redis.call("INFO", "memory").string) ?? ""
        let used =
            info.split(separator: "\r\n").first { $0.hasPrefix("used_memory:") }
            .flatMap { Double($0.dropFirst("used_memory:".count)) } ?? 0
        let pending = await simulator.pendingUpdateCount
        return Sample(
            second: second,
            botRSS: bot.pid.map { ProcessMemory.megabytes(of: $0).current } ?? 0,
            redisMemory: used / 1_048_576,
            luaMemory: await Self.luaMemory(statusPort: statusPort) / 1_048_576,
            handled: offered - pending
        )
    }

    /// The sum of `warden_lua_memory_bytes` over the workers, from the bot's `/metrics`; 0 if unreachable.
    static func luaMemory(statusPort: Int) async -> Double {
        let url = URL(string: "http://127.0.0.1:\(statusPort)/metrics")!
        guard let (data, _) = try? await URLSession.shared.data(from: url) else { return 0 }
        return String(decoding: data, as: UTF8.self).split(separator: "\n")
            .filter { $0.hasPrefix("warden_lua_memory_bytes{") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
            .reduce(0, +)
    }
}
