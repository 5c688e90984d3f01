import Foundation
import Logging
import RedisStore
import WardenJSON

@testable import WardenRuntime

/// A plugin host over a recording sink, with plugins given as source text.
struct TestHost {
    let host: PluginHost
    let sink: RecordingActionSink
    let logs: LogRecorder

    init(
        plugins: [(String, String)],
        redisURL: String? = nil,
        sudo: [Int64] = [],
        configure: (inout WardenConfig) -> Void = { _ in },
        adjust: (inout PluginHost.Options) -> Void = { _ in }
    ) throws {
        var config = WardenConfig()
        config.sudoUsers = sudo
        config.instructionBudget = 2_000_000
        config.luaMemoryMB = 16
        config.redisPrefix = "test\(UInt32.random(in: 0...UInt32.max)):"
        configure(&config)
        var options = PluginHost.Options(config: config)
        options.botID = Fixture.botID
        options.botUsername = "WardenBot"
        adjust(&options)
        sink = RecordingActionSink()
        logs = LogRecorder()
        let redis = try redisURL.map { try RedisConnection(url: $0) }
        host = try PluginHost(options: options, sink: sink, redis: redis, logger: logs.logger)
        let errors = host.install(sources: plugins.map { (name: $0.0, source: $0.1) })
        if let error = errors.first { throw error }
    }

    /// Dispatches and returns the outcome.
    @discardableResult
    func send(_ update: JSONValue) -> UpdateOutcome { host.handle(update: update) }

    /// Texts of the `sendMessage` calls so far.
    var replies: [String] {
        sink.actions.filter { $0.method == "sendMessage" }.compactMap { $0.params["text"]?.string }
    }
}

enum Fixture {
    static let botID: Int64 = 7_000_000_001
    static let group: Int64 = -1_001_234_567_890
    static let admin: Int64 = 111
    static let member: Int64 = 222
    nonisolated(unsafe) static var nextUpdateID: Int64 = 1

    static func user(_ id: Int64, first: String = "Ann", last: String? = "Lee", username: String? = nil) -> JSONValue {
        var user: [String: JSONValue] = ["id": .int(id), "is_bot": false, "first_name": .string(first)]
        if let last { user["last_name"] = .string(last) }
        if let username { user["username"] = .string(username) }
        return .object(user)
    }

    static func chat(_ id: Int64 = group, type: String = "supergroup") -> JSONValue {
        type == "private"
            ? ["id": .int(id), "type": "private", "first_name": "Ann"]
            : ["id": .int(id), "type": .string(type), "title": "Test Group"]
    }

    static func message(
        _ text: String? = nil,
        from: Int64 = member,
        chat: JSONValue = chat(),
        extra: [String: JSONValue] = [:],
        date: Int64 = Int64(Date().timeIntervalSince1970)
    ) -> JSONValue {
        var message: [String: JSONValue] = [
            "message_id": .int(Int64.random(in: 1...1_000_000)), "date": .int(date), "chat": chat, "from": user(from),
        ]
        if let text { message["text"] = .string(text) }
        for (key, value) in extra { message[key] = value }
        return update(["message": .object(message)])
    }

    static func update(_ fields: [String: JSONValue]) -> JSONValue {
        var fields = fields
        fields["update_id"] = .int(nextUpdateID)
        nextUpdateID += 1
        return .object(fields)
    }
}

/// A swift-log handler that keeps the lines, to check what was logged (and what was not).
final class LogRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String] = []

    var logger: Logger {
        Logger(label: "test") { _ in Handler(recorder: self) }
    }

    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return entries
    }

    func append(_ line: String) {
        lock.lock()
        entries.append(line)
        lock.unlock()
    }

    struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            let rendered = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            recorder.append("\(event.level) \(event.message) \(rendered)")
        }
    }
}
