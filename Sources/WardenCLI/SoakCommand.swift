import ArgumentParser
import Foundation
import WardenDevKit
import WardenJSON
import WardenRuntime

/// `warden soak`: a steady load for minutes, memory sampled (docs/reliability.md).
struct SoakCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "Run `warden run` under a steady load for minutes and sample its RSS and Redis's memory."
    )

    @OptionGroup var common: CommonOptions

    @Option(help: "How long, in seconds.")
    var seconds = 600.0

    @Option(help: "Updates offered per second.")
    var rate = 2_000

    @Option(help: "Seconds between samples.")
    var sampleEvery = 10.0

    @Flag(help: "Print the figures as one JSON object.")
    var json = false

    func run() async throws {
        let config = try common.loadConfig()
        let logger = try common.makeLogger(label: "warden.soak", defaultLevel: "error")
        var options = SoakRun.Options(binary: FaultsCommand.ownExecutable)
        options.seconds = seconds
        options.rate = rate
        options.sampleEvery = sampleEvery
        options.pluginDirectory = config.pluginDirectory
        let report = try await SoakRun(options: options, logger: logger).run(progress: FiguresOutput.progress)
        FiguresOutput.emit(report.json, table: "Soak\n" + report.table, json: json)
    }
}
