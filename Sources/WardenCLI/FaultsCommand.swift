import ArgumentParser
import Foundation
import WardenDevKit
import WardenJSON
import WardenRuntime

/// `warden faults`: kills, a Redis restart and Telegram errors during a run, then the counts
/// (docs/reliability.md).
struct FaultsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faults",
        abstract:
            "Run `warden run` through SIGKILLs, a Redis restart and Telegram 500s, time-outs and 429s; "
            + "count what was lost or done twice."
    )

    @OptionGroup var common: CommonOptions

    @Option(help: "Messages to queue.")
    var updates = 10_000

    @Option(help: "SIGKILLs at random points.")
    var kills = 5

    @Option(help: "Redis restarts (data kept, 2 s down).")
    var redisRestarts = 1

    @Option(help: "Seed of the traffic and of the fault points.")
    var seed: UInt64 = 7

    @Flag(help: "Keep the bot's config and logs (one file per start) and print where.")
    var keepFiles = false

    @Flag(help: "Print the counts as one JSON object.")
    var json = false

    func run() async throws {
        let config = try common.loadConfig()
        let logger = try common.makeLogger(label: "warden.faults", defaultLevel: "error")
        var options = FaultRun.Options(binary: Self.ownExecutable)
        options.updates = updates
        options.kills = kills
        options.redisRestarts = redisRestarts
        options.seed = seed
        options.keepFiles = keepFiles
        options.pluginDirectory = config.pluginDirectory
        let report = try await FaultRun(options: options, logger: logger).run(progress: FiguresOutput.progress)
        FiguresOutput.emit(report.json, table: "Faults\n" + report.table, json: json)
        if !report.passed { throw ExitCode.failure }
    }

    /// This very binary, to run and kill as the bot.
    static var ownExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
