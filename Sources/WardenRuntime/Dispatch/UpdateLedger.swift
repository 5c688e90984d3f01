import Foundation
import Logging
import RedisStore

/// Which updates were already handled, so one redelivered after a crash (its
/// offset not yet stored) is not acted on twice. A sorted set scored by update
/// id; the poller trims it below the stored offset, so it stays one batch long.
struct UpdateLedger {
    let key: String
    /// The users-seen caches (`@username` → id, id → name), written in the same round trip.
    let usernamesKey: String
    let namesKey: String
    /// The groups the bot is in (`/broadcast`, `/gban`, `/stats`), written in the same round trip.
    let chatsKey: String
    /// Where the update's actions are kept until Telegram answers them (nil: they are sent unjournaled).
    let journal: ActionJournal?
    let redis: RedisConnection?
    let logger: Logger
    let metrics: WardenMetrics?

    /// Whether the update was handled already; in the same round trip, notes the group it comes from as
    /// one the bot manages (before plugins run, so `/stats` or `/gban` sent there counts it).
    func contains(_ updateID: Int64, group: Int64? = nil) -> Bool {
        guard let redis else { return false }
        var commands = [["ZSCORE", key, String(updateID)]]
        if let group { commands.append(["SADD", chatsKey, String(group)]) }
        do {
            let started = ContinuousClock.now
            defer { metrics?.redisRoundTrip(ContinuousClock.now - started) }
            return try !redis.pipeline(commands)[0].checked().isNull
        } catch {
            // Without Redis, handling twice is better than not at all.
            logger.warning("update ledger unreadable", metadata: ["update.id": "\(updateID)", "error": "\(error)"])
            return false
        }
    }

    /// Marks an update handled, journals its actions and remembers the users it showed, in one pipeline.
    /// Returns the actions to send.
    func record(_ updateID: Int64, users: [SeenUser] = [], actions: [ActionJournal.Held] = []) -> [ActionJournal.Held] {
        guard let redis else { return actions }
        var commands = [["ZADD", key, String(updateID), String(updateID)]]
        var toSend = actions
        if let journal, !actions.isEmpty {
            let journaled = journal.journal(actions, updateID: updateID, now: Date().timeIntervalSince1970)
            commands.append(journaled.command)
            toSend = journaled.actions
        }
        let named = users.filter { $0.username != nil }
        if !named.isEmpty {
            commands.append(["HSET", usernamesKey] + named.flatMap { [$0.username!.lowercased(), String($0.id)] })
        }
        if !users.isEmpty {
            commands.append(["HSET", namesKey] + users.flatMap { [String($0.id), String($0.name.prefix(128))] })
        }
        do {
            for reply in try redis.pipeline(commands) { _ = try reply.checked() }
        } catch {
            // Unjournaled, the actions are still better sent than not.
            logger.warning("update ledger not written", metadata: ["update.id": "\(updateID)", "error": "\(error)"])
        }
        return toSend
    }
}

/// A user an update showed.
struct SeenUser {
    let id: Int64
    let username: String?
    /// "First Last".
    let name: String
}
