import Foundation
import Logging

/// The plugin errors a spec case's bot logged ("plugin error" and "plugin failed to load"), so the
/// runner can fail the case with the plugin's name and message: a plugin that raised must never pass
/// unnoticed because the other plugins carried on.
final class PluginErrorLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String] = []

    var all: [String] { lock.withLock { entries } }

    func record(_ entry: String) { lock.withLock { entries.append(entry) } }

    /// A logger that writes through `base`'s handler and records plugin errors here, whatever `base`'s level.
    func logger(wrapping base: Logger) -> Logger {
        Logger(label: base.label) { _ in RecordingHandler(wrapped: base.handler, log: self) }
    }
}

private struct RecordingHandler: LogHandler {
    var wrapped: any LogHandler
    let log: PluginErrorLog

    var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    /// At most `.error`, so plugin errors reach `log(...)` even when the printed level is higher.
    var logLevel: Logger.Level {
        get { min(wrapped.logLevel, .error) }
        set { wrapped.logLevel = newValue }
    }

    func log(event: LogEvent) {
        let text = event.message.description
        if text == "plugin error" || text == "plugin failed to load" {
            let plugin = event.metadata?["plugin.name"].map { "\($0)" } ?? "?"
            let phase = event.metadata?["plugin.phase"].map { " in \($0)" } ?? ""
            let error = event.metadata?["error"].map { "\($0)" } ?? ""
            log.record("\(plugin)\(phase): \(text == "plugin error" ? "" : "failed to load: ")\(error)")
        }
        guard event.level >= wrapped.logLevel else { return }
        wrapped.log(event: event)
    }
}
