import ArgumentParser
import Foundation
import Logging
import WardenRuntime

/// Options every command that loads the config shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "The TOML config file (default: $WARDEN_CONFIG, else ./config.toml if present).")
    var config: String?

    @Option(
        name: .long,
        help:
            "trace, debug, info, notice, warning, error or critical (default: $WARDEN_LOG_LEVEL, else info; warning for plugin test)."
    )
    var logLevel: String?

    func loadConfig() throws -> WardenConfig {
        let environment = ProcessInfo.processInfo.environment
        var path = config ?? environment["WARDEN_CONFIG"]
        if path == nil, FileManager.default.fileExists(atPath: "config.toml") { path = "config.toml" }
        do {
            return try WardenConfig.load(path: path, environment: environment)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func makeLogger(label: String, defaultLevel: String = "info") throws -> Logger {
        let logLevel = logLevel ?? ProcessInfo.processInfo.environment["WARDEN_LOG_LEVEL"] ?? defaultLevel
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level: '\(logLevel)' is not a level")
        }
        LoggingBootstrap.once(level: level)
        return Logger(label: label)
    }
}

/// swift-log can be bootstrapped once per process.
enum LoggingBootstrap {
    nonisolated(unsafe) private static var done = false

    static func once(level: Logger.Level) {
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
