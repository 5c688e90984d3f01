import Foundation
import Logging
import RedisStore

/// Which updates were already handled, so one redelivered after a crash (its
/// offset not yet stored) is not acted on twice. A sorted set scored by update
/// id; the poller trims it below the stored offset, so it stays a batch or two long.
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
    /// Users and groups written lately, so a chatty user is not written again with every batch.
    let recent = RecentlyNoted()

    /// The updates of a batch that were handled already. Before plugins run, notes the groups they come
    /// from as ones the bot manages (so `/stats` or `/gban` sent there counts it) and the users they show
    /// (so `/ban @name` finds a user whose first message is in the same batch).
    ///
    /// Only ids up to `freshAbove` are looked up (nil: all of them): the poller knows that none above the
    /// highest id in the ledger when it took its lease can have been handled. With nothing to look up, the
    /// notes go out with the worker's next round trip instead of one of their own; they still run before
    /// anything the plugins send.
    func handled(
        among updateIDs: [Int64],
        groups: Set<Int64> = [],
        users: [SeenUser] = [],
        freshAbove: Int64? = nil
    ) -> Set<Int64> {
        guard let redis, !updateIDs.isEmpty else { return [] }
        recent.forgetAll(ifFailuresChangedTo: redis.failures)
        let unknown = freshAbove.map { horizon in updateIDs.filter { $0 <= horizon } } ?? updateIDs
        let groups = recent.unnoted(groups: groups)
        let users = recent.unnoted(users: users)
        var commands: [[String]] = []
        if !unknown.isEmpty { commands.append(["ZMSCORE", key] + unknown.map { String($0) }) }
        if !groups.isEmpty { commands.append(["SADD", chatsKey] + groups.sorted().map(String.init)) }
        let named = users.filter { $0.username != nil }
        if !named.isEmpty {
            commands.append(["HSET", usernamesKey] + named.flatMap { [$0.username!.lowercased(), String($0.id)] })
        }
        if !users.isEmpty {
            commands.append(["HSET", namesKey] + users.flatMap { [String($0.id), String($0.name.prefix(128))] })
        }
        guard !commands.isEmpty else { return [] }
        do {
            guard !unknown.isEmpty else {
                try redis.queueForNextRoundTrip(commands)
                recent.note(groups: groups, users: users)
                return []
            }
            let started = ContinuousClock.now
            defer { metrics?.redisRoundTrip(ContinuousClock.now - started) }
            let replies = try redis.pipeline(commands)
            recent.note(groups: groups, users: users)
            let scores = try replies[0].checked().array ?? []
            var handled: Set<Int64> = []
            for (updateID, score) in zip(unknown, scores) where !score.isNull { handled.insert(updateID) }
            return handled
        } catch {
            // Without Redis, handling twice is better than not at all.
            logger.warning(
                "update ledger unreadable",
                metadata: ["updates": "\(updateIDs.count)", "error": "\(error)"]
            )
            return []
        }
    }

    /// What one handled update leaves for the ledger.
    struct Entry {
        var updateID: Int64
        var actions: [ActionJournal.Held] = []
    }

    /// Marks updates handled and journals their actions, in one pipeline for the whole batch.
    /// Returns the actions to send, in update order; nil when Redis failed (the batch must be handled again).
    func record(_ entries: [Entry]) -> [ActionJournal.Held]? {
        guard !entries.isEmpty else { return [] }
        guard let redis else { return entries.flatMap(\.actions) }
        var zadd = ["ZADD", key]
        zadd.reserveCapacity(2 + 2 * entries.count)
        for entry in entries {
            let id = String(entry.updateID)
            zadd.append(id)
            zadd.append(id)
        }
        var commands = [zadd]
        var toSend = entries.flatMap(\.actions)
        if let journal, !toSend.isEmpty {
            let journaled = journal.journal(
                entries.map { ($0.updateID, $0.actions) },
                now: Date().timeIntervalSince1970
            )
            commands.append(journaled.command)
            toSend = journaled.actions
        }
        do {
            for reply in try redis.pipeline(commands) { _ = try reply.checked() }
        } catch {
            logger.warning(
                "update ledger not written",
                metadata: ["updates": "\(entries.map(\.updateID))", "error": "\(error)"]
            )
            return nil
        }
        return toSend
    }
}

/// A user an update showed.
struct SeenUser: Equatable {
    let id: Int64
    let username: String?
    /// "First Last".
    let name: String
}

/// The groups and users (with the name and username last written) a worker wrote to Redis within the last
/// minute. Forgotten each minute, so a group the bot left and rejoined, or a cache flushed by hand, is
/// written again soon.
final class RecentlyNoted {
    private var groups: Set<Int64> = []
    private var users: [Int64: SeenUser] = [:]
    private var since = ContinuousClock.now
    private var failuresSeen = 0
    private let lifetime: Duration = .seconds(60)

    func unnoted(groups candidates: Set<Int64>) -> Set<Int64> {
        forgetIfOld()
        // Not `subtracting`: it walks the argument, every group noted this minute, for each batch.
        return candidates.filter { !groups.contains($0) }
    }

    func unnoted(users candidates: [SeenUser]) -> [SeenUser] {
        forgetIfOld()
        var seen: Set<Int64> = []
        // The last mention of a user in the batch wins, as it did when all were written.
        return candidates.reversed().filter { users[$0.id] != $0 && seen.insert($0.id).inserted }.reversed()
    }

    func note(groups written: Set<Int64>, users noted: [SeenUser]) {
        groups.formUnion(written)
        for user in noted { users[user.id] = user }
    }

    /// Forgets everything once the connection failed since the last call: notes queued for a round trip
    /// that never came may not have been written.
    func forgetAll(ifFailuresChangedTo failures: Int) {
        guard failures != failuresSeen else { return }
        failuresSeen = failures
        forget()
    }

    private func forgetIfOld() {
        guard ContinuousClock.now - since > lifetime else { return }
        forget()
    }

    private func forget() {
        groups.removeAll(keepingCapacity: true)
        users.removeAll(keepingCapacity: true)
        since = .now
    }
}
