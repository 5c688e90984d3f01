import ArgumentParser
import Foundation
import Logging
import WardenDevKit
import WardenJSON
import WardenRuntime

/// `warden demo`: the whole bot against a private Telegram and Redis, no token needed (docs/demo.md).
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Play a scenario (a raid on a group) against the simulator and a private redis-server.",
        discussion: "Needs redis-server (Debian package redis-server); nothing reaches Telegram."
    )

    @OptionGroup var common: CommonOptions

    @Option(help: "The scenario file (docs/demo.md).")
    var scenario = "data/demo/scenario.lua"

    @Flag(help: "Print the summary as one JSON object (the transcript goes to stderr).")
    var json = false

    func run() async throws {
        let config = try common.loadConfig()
        let logger = try common.makeLogger(label: "warden.demo", defaultLevel: "error")
        let loaded = try DemoScenario.load(path: scenario)
        let runner = DemoRunner(options: .init(pluginDirectory: config.pluginDirectory, config: config), logger: logger)
        let transcript = json ? FileHandle.standardError : FileHandle.standardOutput
        // Unbuffered, so the transcript is live, also through a pipe.
        let summary = try await runner.run(loaded) { line in transcript.write(Data((line + "\n").utf8)) }
        if json {
            print(String(decoding: summary.json.serialized(sortedKeys: true), as: UTF8.self))
        } else {
            print("\nSummary\n" + summary.table)
        }
        if summary.failedSteps > 0 { throw ExitCode(1) }
    }
}
