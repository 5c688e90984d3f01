import Logging
import RedisStore

/// Moves a chat's Redis state when a group becomes a supergroup (`migrate_to_chat_id`).
enum ChatMigration {
    /// Moves the state and logs the result (a failure is logged, not thrown: the bot goes on).
    static func run(from old: Int64, to new: Int64, keys: RuntimeKeys, redis: RedisConnection, logger: Logger) {
        do {
            let moved = try move(from: old, to: new, keys: keys, redis: redis)
            logger.info("chat migrated", metadata: ["chat.from": "\(old)", "chat.to": "\(new)", "keys": "\(moved)"])
        } catch {
            logger.error(
                "chat migration failed",
                metadata: ["chat.from": "\(old)", "chat.to": "\(new)", "error": "\(error)"]
            )
        }
    }

    /// Renames every `<prefix>{chat:OLD}:…` key to `<prefix>{chat:NEW}:…`; returns how many moved.
    static func move(
        from old: Int64,
        to new: Int64,
        keys: RuntimeKeys,
        redis: RedisConnection
    ) throws(RedisError) -> Int {
        let oldTag = keys.prefix + "{chat:\(old)}"
        let newTag = keys.prefix + "{chat:\(new)}"
        // SCAN MATCH treats [, ], *, ?, \ as glob syntax: escape the literal part.
        let glob = RedisGlob.escape(oldTag) + "*"
        var cursor = "0"
        var moved = 0
        repeat {
            let reply = try redis.call("SCAN", cursor, "MATCH", glob, "COUNT", "1000")
            guard let parts = reply.array, parts.count == 2, let next = parts[0].string else {
                throw RedisError.protocolError("unexpected SCAN reply")
            }
            cursor = next
            for key in parts[1].array ?? [] {
                guard let name = key.string, name.hasPrefix(oldTag) else { continue }
                let target = newTag + name.dropFirst(oldTag.count)
                // RENAMENX: state the new chat already has (a race with new messages) is kept.
                if try redis.call("RENAMENX", name, target).int == 1 { moved += 1 }
            }
        } while cursor != "0"
        return moved
    }
}
