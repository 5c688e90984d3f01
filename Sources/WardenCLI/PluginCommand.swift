import ArgumentParser
import Foundation
import Logging
import WardenRuntime

struct PluginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin",
        abstract: "Work with plugin files.",
        subcommands: [Check.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load each plugin in the sandbox and print its patterns and handlers, or its error."
        )

        @OptionGroup var common: CommonOptions

        @Argument(help: "Plugin files (plugins/*.lua).")
        var files: [String]

        func run() async throws {
            var config = try common.loadConfig()
            let logger = try common.makeLogger(label: "warden.check")
            if let first = files.first { config.pluginDirectory = (first as NSString).deletingLastPathComponent }
            let host = try PluginHost(
                options: PluginHost.Options(config: config),
                sink: RecordingActionSink(),
                redis: nil,
                logger: logger
            )
            var failures = 0
            for file in files {
                let name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
                if PluginHost.isDefinitionFile(path: file) {
                    print("\(file): LuaLS definitions (---@meta), not a plugin: skipped")
                    continue
                }
                guard let data = FileManager.default.contents(atPath: file) else {
                    print("\(file): cannot read the file")
                    failures += 1
                    continue
                }
                do {
                    let summary = try host.describe(name: name, path: file, source: Array(data))
                    print("\(file): ok")
                    if let description = summary.description { print("  description: \(description)") }
                    print("  role: \(summary.minRole)")
                    print("  handlers: \(summary.handlers.isEmpty ? "none" : summary.handlers.joined(separator: ", "))")
                    print("  patterns: \(summary.patterns.count) (\(summary.indexedPatterns) indexed by prefix)")
                    for pattern in summary.patterns { print("    \(pattern)") }
                } catch {
                    print("\(file): error: \(error.message)")
                    failures += 1
                }
            }
            if failures > 0 { throw ExitCode(1) }
        }
    }
}
