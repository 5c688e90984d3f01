import RedisStore
import WardenJSON

/// The keys matching a pattern, minus some prefixes, with their DUMPs: what `redis_snapshot` records
/// and `expect_redis_unchanged` compares against, to show that a step changed nothing it should not
/// (another chat's keys, global keys).
struct RedisSnapshot {
    let match: String
    let except: [String]
    let values: [String: [UInt8]]
}

extension SpecPlayer {
    /// `{ redis_snapshot = L, match = "warden:*", except = { "warden:{chat:$group}:", … } }`: waits until
    /// the bot is idle, then records every key matching `match` (a KEYS pattern, default every key) that
    /// starts with none of the `except` prefixes.
    mutating func snapshot(_ label: String, _ step: JSONValue) async throws {
        try await settle()
        let match = world.resolve(step["match"] ?? "*").string ?? "*"
        let except = (step["except"]?.array ?? []).compactMap { world.resolve($0).string }
        snapshots[label] = RedisSnapshot(match: match, except: except, values: try dump(match, except))
    }

    /// Passes when the keys of snapshot L are the same, with the same values (checked once the bot is idle).
    mutating func expectUnchanged(_ label: String) async throws {
        guard let before = snapshots[label] else { throw SpecError("no redis_snapshot labelled \"\(label)\"") }
        try await settle()
        let now = try dump(before.match, before.except)
        var differences: [String] = []
        for key in Set(before.values.keys).union(now.keys).sorted() {
            switch (before.values[key], now[key]) {
            case (nil, _): differences.append("+ \(key) (created)\(try show(key))")
            case (_, nil): differences.append("- \(key) (deleted)")
            case (let old, let new) where old != new: differences.append("~ \(key) (changed)\(try show(key))")
            default: break
            }
        }
        guard differences.isEmpty else {
            let shown = differences.prefix(6).map { "  \($0)" }.joined(separator: "\n")
            let more = differences.count > 6 ? "\n  … and \(differences.count - 6) more" : ""
            throw SpecError("Redis changed since snapshot \"\(label)\":\n\(shown)\(more)")
        }
    }

    private func dump(_ match: String, _ except: [String]) throws -> [String: [UInt8]] {
        let connection = telegram.connection
        let names = try connection.call(["KEYS", match].map { Array($0.utf8) }).array ?? []
        var values: [String: [UInt8]] = [:]
        for name in names.compactMap(\.string) where !except.contains(where: { name.hasPrefix($0) }) {
            // A key that expired between KEYS and DUMP is simply not there.
            if let bytes = try connection.call([Array("DUMP".utf8), Array(name.utf8)]).bytes { values[name] = bytes }
        }
        return values
    }

    /// The key's current value, shortly, so a failure says what was written.
    private func show(_ key: String) throws -> String {
        let connection = telegram.connection
        let type = try connection.call("TYPE", key).string ?? "none"
        let command: [String]? =
            switch type {
            case "string": ["GET", key]
            case "hash": ["HGETALL", key]
            case "set": ["SMEMBERS", key]
            case "list": ["LRANGE", key, "0", "-1"]
            case "zset": ["ZRANGE", key, "0", "-1", "WITHSCORES"]
            default: nil
            }
        guard let command else { return "" }
        let value = Self.json(try connection.call(command.map { Array($0.utf8) }), shapedLike: .null)
        return ": \(value.text.prefix(160))"
    }
}
