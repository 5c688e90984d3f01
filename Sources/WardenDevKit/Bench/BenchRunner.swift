import Foundation
public import Logging
import TelegramSimulator
import WardenJSON
public import WardenRuntime
import WardenTestSupport

/// `warden bench`: the whole pipeline — the simulator serving getUpdates in batches of 100, a private
/// redis-server, the bot with the shipped plugins at their defaults — over a mixed workload
/// (docs/performance.md).
public struct BenchRunner: Sendable {
    public struct Options: Sendable {
        /// Settings the bot starts from (plugins and their directory); token and Redis come from the bench.
        public var config: WardenConfig
        public var updates = 50_000
        public var groups = 1_000
        public var users = 10_000
        /// Workers (0: one per core).
        public var workers = 0
        /// Dummy command patterns added in a plugin of their own.
        public var extraPatterns = 0
        /// Updates per second to offer (0: all queued up front, handled as fast as possible).
        public var rate = 0
        /// Ordinary messages in the separate run that counts their Redis round trips.
        public var ordinarySample = 2_000
        public var seed: UInt64 = 42
        /// Before the measured run, the owner of each group sends `/settings` once, so the bot has met every
        /// group (its settings read ahead, its admin list fetched) as a bot that has been running has. Off, the
        /// run measures a bot that has just joined all the groups at once.
        public var warmUp = true
        /// The `warden` executable to run the simulator from, in a process of its own (`warden simulator`), so
        /// the peak RSS measured is the bot's; nil runs the simulator inside this process.
        public var simulatorBinary: String?

        public init(config: WardenConfig) { self.config = config }
    }

    let options: Options
    let logger: Logger

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    public func run(progress: @escaping @Sendable (String) -> Void) async throws -> BenchReport {
        // Before anything else runs (the simulator's start parses the whole Bot API spec), and after.
        progress("timing the reference loop")
        let loopBefore = try ReferenceLoop.milliseconds()
        var report: BenchReport
        if let binary = options.simulatorBinary {
            report = try await run(with: try await SimulatorProcess.start(binary: binary), progress: progress)
        } else {
            report = try await run(with: try await TelegramSimulator.startForBench(logger: logger), progress: progress)
        }
        report.referenceLoopMilliseconds = (loopBefore, try ReferenceLoop.milliseconds())
        return report
    }

    private func run<Telegram: BenchTelegram>(
        with simulator: Telegram,
        progress: @escaping @Sendable (String) -> Void
    ) async throws -> BenchReport {
        let bench = try await BenchBot.start(
            config: options.config,
            workers: options.workers,
            extraPatterns: options.extraPatterns,
            simulator: simulator,
            logger: logger
        )
        do {
            let report = try await measure(bench, progress: progress)
            await bench.stop()
            return report
        } catch {
            await bench.stop()
            throw error
        }
    }

    private func measure<Telegram>(
        _ bench: BenchBot<Telegram>,
        progress: @Sendable (String) -> Void
    ) async throws -> BenchReport {
        progress("seeding \(options.groups) groups and \(options.users) users")
        let world = try await bench.simulator.seedBench(
            groups: options.groups,
            users: options.users,
            usernamePrefix: "bench"
        )
        var workload = BenchWorkload(world: world, seed: options.seed)
        let now = Int64(Date().timeIntervalSince1970)
        let (posts, counts) = workload.posts(count: options.updates, now: now)
        var report = BenchReport()
        report.workers = bench.workerCount
        report.extraPatterns = options.extraPatterns
        report.updates = posts.count
        report.ordinary = counts.ordinary
        report.commands = counts.commands
        report.spam = counts.spam
        report.offeredRate = options.rate

        report.rssBeforeBotMegabytes = ProcessMemory.megabytes().current
        try await bench.startBot()
        if options.warmUp {
            progress("warming up: /settings from the owner of each of the \(world.groupIDs.count) groups, twice")
            try await warmUp(bench, world: world)
            report.warmedUpGroups = world.groupIDs.count
        }
        progress("running the bot (\(bench.workerCount) workers)")
        let handledAtStart = bench.updatesHandled()
        var queued = 0
        if options.rate == 0 {
            // In one call, so the bot meets the whole backlog at once (the simulator answers nothing meanwhile;
            // past 100,000 posts, in a request each).
            queued = try await bench.simulator.post(posts).compactMap { $0 }.count
            progress("\(queued) updates queued; measuring")
        }
        let before = await bench.totals()
        let started = ContinuousClock.now
        // Some posts are refused (their sender was muted meanwhile): only accepted ones become updates.
        let accepted = options.rate > 0 ? try await Self.feed(posts, rate: options.rate, to: bench.simulator) : queued
        try await bench.waitForUpdates(handledAtStart + accepted, timeout: .seconds(600))
        let elapsed = ContinuousClock.now - started
        let after = await bench.totals()
        // Counted from the clock's start: a batch the bot took before the posting call returned is left out.
        let measured = after.updates - before.updates
        report.seconds = elapsed.seconds
        report.updates = measured
        report.redisRoundTripsPerUpdate = Double(after.roundTrips - before.roundTrips) / Double(max(measured, 1))
        report.actionsQueued = after.actions - before.actions
        report.pluginErrors = after.pluginErrors.values.reduce(0, +) - before.pluginErrors.values.reduce(0, +)
        report.cacheHits = after.cache.hits - before.cache.hits
        report.cacheMisses = after.cache.misses - before.cache.misses
        report.cacheReadAhead = after.cache.readAhead - before.cache.readAhead
        report.copyAnswers = after.copyAnswers - before.copyAnswers
        let perUpdate = 1 / Double(max(measured, 1))
        report.workerTime = after.time.map { phase, time in
            let allocated = (after.luaAllocated[phase] ?? 0) - (before.luaAllocated[phase] ?? 0)
            return BenchReport.Phase(
                name: phase,
                microseconds: (time - (before.time[phase] ?? .zero)).seconds * 1e6 * perUpdate,
                luaBytes: Double(allocated) * perUpdate
            )
        }.sorted { $0.microseconds > $1.microseconds }
        (report.latency, report.latencyAfterWarmUp) = LatencyFigures.wholeAndSteady(bench.latency.inOrder())

        progress("counting Redis round trips for \(options.ordinarySample) ordinary messages")
        let ordinary = (0..<options.ordinarySample).map { index in
            let user = index % world.userIDs.count
            return BenchWorkload.text(
                BenchWorkload.chatter[index % BenchWorkload.chatter.count],
                from: world.userIDs[user],
                in: world.groupIDs[user % world.groupIDs.count],
                at: Int64(Date().timeIntervalSince1970)  // one message per user: no floods
            )
        }
        let beforeSample = await bench.totals()
        let handledBeforeSample = bench.updatesHandled()
        // Senders the mixed run muted are refused by Telegram; their posts never reach the bot.
        let delivered = try await bench.simulator.post(ordinary).compactMap { $0 }.count
        try await bench.waitForUpdates(handledBeforeSample + delivered, timeout: .seconds(120))
        let afterSample = await bench.totals()
        report.ordinarySample = delivered
        report.redisRoundTripsPerOrdinaryMessage =
            Double(afterSample.roundTrips - beforeSample.roundTrips) / Double(Swift.max(delivered, 1))
        report.peakRSSMegabytes = ProcessMemory.megabytes().peak
        report.simulatorPeakRSSMegabytes = bench.simulator.peakRSSMegabytes
        return report
    }

    /// `/settings` from each group's owner, twice, handled before the measured run; the latencies recorded so
    /// far are forgotten. The first fetches the group's admin list, and writing it drops the role keys the read
    /// cache had just read; the second reads them back, as a bot that has been running has them.
    private func warmUp<Telegram>(_ bench: BenchBot<Telegram>, world: TelegramSimulator.BenchWorld) async throws {
        for _ in 1...2 {
            let now = Int64(Date().timeIntervalSince1970)
            let commands = zip(world.groupIDs, world.ownerIDs).map { chat, owner in
                BenchWorkload.text("/settings", from: owner, in: chat, at: now)
            }
            let before = bench.updatesHandled()
            let delivered = try await bench.simulator.post(commands).compactMap { $0 }.count
            try await bench.waitForUpdates(before + delivered, timeout: .seconds(120))
        }
        bench.latency.reset()
    }

    /// Posts at `rate` updates a second: every millisecond, what is due by then. Traffic from a thousand
    /// groups arrives spread out, not in bursts; long polling then brings it in small batches.
    /// Returns how many Telegram accepted.
    static func feed(
        _ posts: [TelegramSimulator.BenchPost],
        rate: Int,
        to simulator: some BenchTelegram
    ) async throws -> Int {
        let start = ContinuousClock.now
        var posted = 0
        var accepted = 0
        var tick = 0
        while posted < posts.count {
            tick += 1
            try? await Task.sleep(until: start + .milliseconds(tick), clock: .continuous)
            // Due by the time this task woke up, so a late wake-up catches up instead of slowing the rate.
            let due = Swift.min(posts.count, Int((ContinuousClock.now - start).seconds * Double(rate)))
            guard due > posted else { continue }
            accepted += try await simulator.post(Array(posts[posted..<due])).compactMap { $0 }.count
            posted = due
        }
        return accepted
    }
}
