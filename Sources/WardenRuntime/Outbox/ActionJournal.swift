import Foundation
import WardenJSON

/// The actions of handled updates that were never tried, kept in one Redis hash per bot, so a restart
/// (after SIGKILL, or a SIGTERM whose flush ran out of time) sends them instead of losing them.
///
/// An update's actions are written in the pipeline that marks the update handled, and only then given to
/// the outbox; the outbox removes an entry just before its first attempt. So an entry that survives a
/// crash was never sent, and resending it cannot repeat it: an action is sent at most once, and is lost
/// only if the process dies while its request is in flight or waiting to be retried after a 5xx or a time-out
/// (a 429 gives the entry back until the retry claims it again). Removal is a claim:
/// when two processes hold the same entry (one restarted while the other still had it queued, behind a
/// shared webhook), only the one whose removal took it sends it.
public struct ActionJournal: Sendable {
    /// The Redis hash: `<update id>:<n>` → the action as JSON, with the time it was journaled.
    public let key: String

    /// Older entries are dropped on restore: a reply that late is noise, and Telegram refuses to delete
    /// messages older than 48 hours anyway.
    public static let maxAge: Double = 3600

    public init(key: String) {
        self.key = key
    }

    /// An action and its callback, held while its update is handled.
    struct Held {
        var action: BotAction
        var completion: (@Sendable (ActionResult) -> Void)?
    }

    /// The `HSET` that journals the actions of a batch's updates, and the actions tagged with their entries.
    func journal(_ updates: [(updateID: Int64, actions: [Held])], now: Double) -> (command: [String], actions: [Held]) {
        var command = ["HSET", key]
        var tagged: [Held] = []
        for (updateID, actions) in updates {
            for (position, var held) in actions.enumerated() {
                let field = "\(updateID):\(position)"
                held.action.journalField = field
                command += [field, Self.encode(held.action, journaledAt: now)]
                tagged.append(held)
            }
        }
        return (command, tagged)
    }

    /// Gives `sink` the entries a previous process left (field → JSON). Returns how many were resent and
    /// the fields of entries too old or unreadable to send, to remove.
    func resend(
        _ entries: [(field: String, value: String)],
        to sink: any ActionSink,
        now: Double
    ) -> (resent: Int, stale: [String]) {
        var resent = 0
        var stale: [String] = []
        for (field, value) in entries.sorted(by: { Self.order($0.field, $1.field) }) {
            guard var entry = Self.decode(value), now - entry.journaledAt < Self.maxAge else {
                stale.append(field)
                continue
            }
            entry.action.journalField = field
            sink.submit(entry.action, completion: nil)
            resent += 1
        }
        return (resent, stale)
    }

    /// Update order, then action order within the update.
    static func order(_ left: String, _ right: String) -> Bool {
        let (a, b) = (
            left.split(separator: ":").compactMap { Int64($0) }, right.split(separator: ":").compactMap { Int64($0) }
        )
        return a.lexicographicallyPrecedes(b)
    }

    static func encode(_ action: BotAction, journaledAt: Double) -> String {
        let value: JSONValue = [
            "method": .string(action.method), "params": .object(action.params), "plugin": .string(action.plugin),
            "update_id": action.updateID.map(JSONValue.int) ?? .null, "at": .double(journaledAt),
        ]
        return String(decoding: value.serialized(), as: UTF8.self)
    }

    /// An entry read back: the action (with a new id) and when it was journaled; nil if unreadable.
    static func decode(_ text: String) -> (action: BotAction, journaledAt: Double)? {
        guard let value = try? JSONValue(parsing: text), let method = value["method"]?.string,
            let params = value["params"]?.object, let at = value["at"]?.double
        else { return nil }
        let action = BotAction(
            id: BotAction.nextID(),
            method: method,
            params: params,
            plugin: value["plugin"]?.string ?? "journal",
            updateID: value["update_id"]?.int
        )
        return (action, at)
    }
}

/// Where the outbox removes journal entries before their first attempt.
public protocol ActionJournalStore: Sendable {
    /// Removes the entries; returns those this call removed (the rest were claimed by another process),
    /// or nil when Redis could not be asked (nothing is known to be removed).
    func claimJournaled(_ fields: [String]) async -> Set<String>?

    /// Writes claimed entries back (field → `ActionJournal.encode`): Telegram refused their actions with a
    /// 429, which it did not carry out, and they wait for their retry. False when Redis could not be asked.
    func returnJournaled(_ entries: [(field: String, value: String)]) async -> Bool
}

extension ActionJournalStore {
    /// Claims, waiting out a Redis outage: an action whose entry may still be there is not sent, since a
    /// restart would send it again. It goes late instead of twice.
    func claimWaitingForRedis(_ fields: [String]) async -> Set<String> {
        var delay = Duration.milliseconds(50)
        while true {
            if let claimed = await claimJournaled(fields) { return claimed }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(2))
        }
    }
}
