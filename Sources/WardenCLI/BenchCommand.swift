import ArgumentParser
import Foundation
import WardenDevKit
import WardenJSON
import WardenRuntime

/// `warden bench`: throughput, latency, Redis round trips and memory of the whole pipeline, or with
/// `--raid` how a raid is cleaned up (docs/performance.md).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the bot against the simulator and a private redis-server, and print the figures.",
        discussion:
            "Build with -c release for figures worth comparing. Needs redis-server (Debian package redis-server)."
    )

    @OptionGroup var common: CommonOptions

    @Option(help: "Updates in the mixed workload.")
    var updates = 50_000

    @Option(help: "Groups and users of the simulated world.")
    var groups = 1_000
    @Option(help: "Users of the simulated world (user n is in group n % groups).")
    var users = 10_000

    @Option(help: "Workers (shards); 0 for one per core.")
    var workers = 0

    @Option(help: "Add this many dummy command patterns (a plugin of their own).")
    var patterns = 0

    @Option(help: "Offer updates at this rate per second instead of queuing them all up front (latency at a load).")
    var rate = 0

    @Flag(
        help:
            "Skip the warm-up (one /settings from each group's owner): measure a bot that has just joined every group."
    )
    var cold = false

    @Flag(
        help:
            "Run the raid benchmark instead: 200 fresh accounts join one group and send 1,000 spam messages within 10 s."
    )
    var raid = false

    @Flag(
        help: "With --raid: the owner turns the anti-raid lockdown off first, so the link lock deletes every message."
    )
    var noAntiraid = false

    @Flag(
        help:
            "Run the simulator inside the bench's process instead of a process of its own (then the peak RSS includes it)."
    )
    var inProcessSimulator = false

    @Flag(help: "Print the figures as one JSON object.")
    var json = false

    func run() async throws {
        var config = try common.loadConfig()
        let logger = try common.makeLogger(label: "warden.bench", defaultLevel: "error")
        let progress = FiguresOutput.progress
        if raid {
            config.workers = workers
            var options = RaidBench.Options(config: config)
            options.antiraid = !noAntiraid
            let report = try await RaidBench(options: options, logger: logger).run(progress: progress)
            FiguresOutput.emit(report.json, table: "Raid\n" + report.table, json: json)
            return
        }
        var options = BenchRunner.Options(config: config)
        options.updates = updates
        options.groups = groups
        options.users = max(users, groups)
        options.workers = workers
        options.extraPatterns = patterns
        options.rate = rate
        options.warmUp = !cold
        if !inProcessSimulator {
            // This executable: its `simulator` command is the simulator the bench drives.
            options.simulatorBinary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        }
        let report = try await BenchRunner(options: options, logger: logger).run(progress: progress)
        FiguresOutput.emit(report.json, table: "Bench\n" + report.table, json: json)
    }
}
