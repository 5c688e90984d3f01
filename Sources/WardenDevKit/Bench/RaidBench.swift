import Foundation
public import Logging
import TelegramSimulator
public import WardenJSON
public import WardenRuntime

/// `warden bench --raid`: 200 fresh accounts join one group and post 1,000 link messages within 10 s,
/// under the simulator's Telegram limits, after the owner locked links. Counts the Bot API calls from the
/// first join on, the time from the last spam message until every one is gone, and what was left.
public struct RaidBench: Sendable {
    public struct Options: Sendable {
        public var config: WardenConfig
        public var accounts = 200
        public var messages = 1_000
        public var seconds = 10.0
        /// How long to wait, after the last spam message, for the rest to go.
        public var cleanupTimeout = 60.0
        /// Off: the owner turns the anti-raid lockdown off first, so every message is left to the link lock.
        public var antiraid = true
        public init(config: WardenConfig) { self.config = config }
    }

    public struct Report: Sendable {
        public var accounts = 0
        public var posted = 0
        /// Refused by Telegram because the bot had muted or banned the sender already.
        public var refused = 0
        public var raidSeconds = 0.0
        public var botAPICalls: [String: Int] = [:]
        public var secondsUntilGone: Double?
        public var left = 0

        public var totalCalls: Int { botAPICalls.values.reduce(0, +) }

        public var table: String {
            let gone =
                secondsUntilGone.map { String(format: "%.2f s after the last spam message", $0) } ?? "not all gone"
            let calls = botAPICalls.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            return [
                "  raid             \(accounts) fresh accounts joined and sent \(posted + refused) spam messages in "
                    + String(format: "%.1f s", raidSeconds),
                "  posted           \(posted) (\(refused) more refused by Telegram: the group was locked or the sender muted)",
                "  Bot API calls    \(totalCalls) (\(calls))",
                "  all spam gone    \(gone)",
                "  spam left        \(left)",
            ].joined(separator: "\n")
        }

        public var json: JSONValue {
            [
                "accounts": .int(Int64(accounts)), "posted": .int(Int64(posted)), "refused": .int(Int64(refused)),
                "raid_seconds": .double(raidSeconds), "bot_api_calls": .int(Int64(totalCalls)),
                "calls_by_method": .object(botAPICalls.mapValues { .int(Int64($0)) }),
                "seconds_until_gone": secondsUntilGone.map(JSONValue.double) ?? .null, "spam_left": .int(Int64(left)),
            ]
        }
    }

    let options: Options
    let logger: Logger

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    public func run(progress: @escaping @Sendable (String) -> Void) async throws -> Report {
        let bench = try await BenchBot.start(
            config: options.config,
            workers: options.config.workers,
            extraPatterns: 0,
            simulator: try await TelegramSimulator.startForBench(logger: logger),
            logger: logger
        )
        do {
            let report = try await raid(bench, progress: progress)
            await bench.stop()
            return report
        } catch {
            await bench.stop()
            throw error
        }
    }

    private func raid(_ bench: BenchBot<TelegramSimulator>, progress: @Sendable (String) -> Void) async throws -> Report
    {
        let world = try await bench.simulator.seedBench(groups: 1, users: 20, usernamePrefix: "member")
        let group = world.groupIDs[0]
        try await bench.startBot()
        progress("the owner locks links" + (options.antiraid ? "" : " and turns the anti-raid lockdown off"))
        var setup = [BenchWorkload.text("/lock links", from: world.ownerIDs[0], in: group, at: Self.now)]
        if !options.antiraid {
            setup.append(BenchWorkload.text("/antiraid off", from: world.ownerIDs[0], in: group, at: Self.now))
        }
        await bench.simulator.post(setup)
        try await bench.waitForUpdates(setup.count, timeout: .seconds(30))
        try await Task.sleep(for: .milliseconds(500))  // the owner's replies are not the raid's
        let firstCall = await bench.simulator.recordedCalls().last?.seq ?? 0

        progress(
            "\(options.accounts) fresh accounts join and send \(options.messages) spam messages in \(options.seconds) s"
        )
        var report = Report()
        var raiders: [Int64] = []
        var spam: [Int64] = []
        let slices = 50
        // The accounts arrive over the first fifth of the raid, and post from the moment they are in.
        let joinSlices = 10
        let perSlice = Swift.max(1, options.messages / slices)
        let started = ContinuousClock.now
        for slice in 0..<slices {
            try? await Task.sleep(
                until: started + .seconds(options.seconds * Double(slice) / Double(slices)),
                clock: .continuous
            )
            if slice < joinSlices {
                let arriving = options.accounts / joinSlices + (slice < options.accounts % joinSlices ? 1 : 0)
                raiders += try await bench.simulator.joinFresh(arriving, group: group, usernamePrefix: "raider\(slice)")
            }
            let posts = (0..<perSlice).map { index in
                let number = slice * perSlice + index
                return BenchWorkload.text(
                    BenchWorkload.spamLinks[number % BenchWorkload.spamLinks.count] + " #\(number)",
                    from: raiders[number % raiders.count],
                    in: group,
                    at: Self.now
                )
            }
            for id in await bench.simulator.post(posts) {
                if let id { spam.append(id) } else { report.refused += 1 }
            }
        }
        report.accounts = raiders.count
        let lastSpam = ContinuousClock.now
        report.raidSeconds = (lastSpam - started).seconds
        report.posted = spam.count

        let deadline = lastSpam + .seconds(options.cleanupTimeout)
        var left = spam
        while !left.isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            left = await bench.simulator.present(left, in: group)
        }
        if left.isEmpty { report.secondsUntilGone = (ContinuousClock.now - lastSpam).seconds }
        report.left = left.count
        // Let the outbox finish what it queued (restrictions, notices) before counting calls.
        try await Task.sleep(for: .seconds(2))
        for call in await bench.simulator.recordedCalls(since: firstCall) where call.method != "getUpdates" {
            report.botAPICalls[call.method, default: 0] += 1
        }
        return report
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970) }
}
