import BotAPI
public import WardenJSON

/// Sends each update to the worker of its chat, so one chat's updates are
/// handled in order while different chats run in parallel.
public struct UpdateRouter: Sendable {
    public let workers: [Worker]

    public init(workers: [Worker]) {
        precondition(!workers.isEmpty, "a router needs at least one worker")
        self.workers = workers
    }

    /// The id updates are sharded by: the chat's, else the user's (inline queries, poll answers), else 0.
    public static func shardKey(of update: JSONValue) -> Int64 {
        guard case .object(let fields) = update, let kind = Update.kind(of: fields), let payload = fields[kind]
        else { return 0 }
        return Update.chatID(ofContent: payload) ?? payload["from"]?["id"]?.int ?? payload["user"]?["id"]?.int ?? 0
    }

    public func worker(for update: JSONValue) -> Worker {
        workers[Shard.index(of: Self.shardKey(of: update), count: workers.count)]
    }

    /// Dispatches a batch; returns once every update has been handled, outcomes in input order.
    /// - Parameter freshAbove: update ids above this cannot have been handled before (the poller knows).
    public func dispatch(_ updates: [JSONValue], freshAbove: Int64? = nil) async -> [UpdateOutcome] {
        await hand(updates, freshAbove: freshAbove).value
    }

    /// Queues each worker's share of a batch on the worker now, behind the shares handed to it before, and
    /// returns without waiting: a chat's updates stay in order, and a worker done with its share goes on to
    /// its share of the next batch instead of waiting for the others. The task's value is the outcomes, in
    /// input order.
    public func hand(_ updates: [JSONValue], freshAbove: Int64?) -> Task<[UpdateOutcome], Never> {
        let receivedAt = ContinuousClock.now
        let parts = shares(of: updates).map { shard, items in
            let handled = workers[shard].submit(
                batch: items.map(\.update),
                receivedAt: receivedAt,
                freshAbove: freshAbove
            )
            return (positions: items.map(\.position), handled: handled)
        }
        let count = updates.count
        return Task {
            var results: [(Int, UpdateOutcome)] = []
            for part in parts { results += zip(part.positions, await part.handled.value) }
            return Self.ordered(results, count: count)
        }
    }

    /// Each worker's updates, with their positions in the batch.
    private func shares(of updates: [JSONValue]) -> [Int: [(position: Int, update: JSONValue)]] {
        var shares: [Int: [(position: Int, update: JSONValue)]] = [:]
        for (position, update) in updates.enumerated() {
            let shard = Shard.index(of: Self.shardKey(of: update), count: workers.count)
            shares[shard, default: []].append((position, update))
        }
        return shares
    }

    private static func ordered(_ results: [(Int, UpdateOutcome)], count: Int) -> [UpdateOutcome] {
        var outcomes = [UpdateOutcome?](repeating: nil, count: count)
        for (position, outcome) in results { outcomes[position] = outcome }
        return outcomes.map { $0 ?? UpdateOutcome(updateID: nil, kind: "invalid", stopped: .malformed) }
    }
}
