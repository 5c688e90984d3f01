import ArgumentParser
import Foundation
import Logging
import WardenDevKit
import WardenRuntime

struct PluginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin",
        abstract: "Work with plugin files.",
        subcommands: [New.self, Check.self, Test.self]
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

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Play plugin specs against the Telegram simulator and a private redis-server.",
            discussion: "A spec describes users, chats and cases; see docs/plugin-testing.md."
        )

        @OptionGroup var common: CommonOptions

        @Option(help: "Only cases whose name contains this text.")
        var filter: String?

        @Argument(help: "Spec files (default: plugins/spec/*_spec.lua).")
        var files: [String] = []

        func run() async throws {
            let config = try common.loadConfig()
            let logger = try common.makeLogger(label: "warden.test", defaultLevel: "warning")
            var paths = files
            if paths.isEmpty {
                let directory = config.pluginDirectory + "/spec"
                let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
                paths = names.filter { $0.hasSuffix("_spec.lua") }.sorted().map { directory + "/" + $0 }
                guard !paths.isEmpty else { throw ValidationError("no *_spec.lua files in \(directory)") }
            }
            var specs: [PluginSpec] = []
            for path in paths { specs.append(try PluginSpec.load(path: path)) }
            // Plugins are loaded from the directory above the specs (plugins/spec/x_spec.lua → plugins/).
            let specDirectory = (paths[0] as NSString).deletingLastPathComponent
            let pluginDirectory =
                (specDirectory as NSString).lastPathComponent == "spec"
                ? (specDirectory as NSString).deletingLastPathComponent : config.pluginDirectory
            let runner = SpecRunner(
                options: .init(pluginDirectory: pluginDirectory, filter: filter, config: config),
                logger: logger
            )
            // Unbuffered, so progress shows as it happens, also through a pipe.
            let summary = try await runner.run(specs) { line in
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
            let total = summary.passed + summary.failed
            let skipped = summary.skipped > 0 ? ", \(summary.skipped) skipped" : ""
            print("\(total) case\(total == 1 ? "" : "s"), \(summary.failed) failed\(skipped)")
            if summary.failed > 0 || total == 0 { throw ExitCode(1) }
        }
    }

    struct New: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new plugin, plugins/NAME.lua, and its spec, plugins/spec/NAME_spec.lua.",
            discussion: "Then: warden plugin test plugins/spec/NAME_spec.lua (docs/plugin-testing.md)."
        )

        @Option(help: "The plugin directory.")
        var directory = "plugins"

        @Argument(help: "The plugin's name: lowercase letters, digits and _.")
        var name: String

        func validate() throws {
            guard let first = name.first, first.isLetter, name.count <= 32,
                name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
            else { throw ValidationError("a plugin name is lowercase letters, digits and _, starting with a letter") }
        }

        func run() throws {
            let plugin = "\(directory)/\(name).lua"
            let spec = "\(directory)/spec/\(name)_spec.lua"
            for path in [plugin, spec] where FileManager.default.fileExists(atPath: path) {
                throw ValidationError("\(path) exists already; nothing written")
            }
            try FileManager.default.createDirectory(atPath: directory + "/spec", withIntermediateDirectories: true)
            try PluginTemplate.plugin(name: name).write(toFile: plugin, atomically: true, encoding: .utf8)
            try PluginTemplate.spec(name: name).write(toFile: spec, atomically: true, encoding: .utf8)
            print("wrote \(plugin) and \(spec)")
            print("next: warden plugin test \(spec)")
        }
    }
}
