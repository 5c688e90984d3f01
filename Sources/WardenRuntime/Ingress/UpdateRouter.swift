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
        guard case .object(let fields) = update else { return 0 }
        for (kind, payload) in fields where kind != "update_id" {
            if let chat = payload["chat"]?["id"]?.int ?? payload["message"]?["chat"]?["id"]?.int { return chat }
            if let user = payload["from"]?["id"]?.int ?? payload["user"]?["id"]?.int { return user }
        }
        return 0
    }

    public func worker(for update: JSONValue) -> Worker {
        workers[Shard.index(of: Self.shardKey(of: update), count: workers.count)]
    }

    /// Dispatches a batch; returns once every update has been handled, outcomes in input order.
    /// - Parameter freshAbove: update ids above this cannot have been handled before (the poller knows).
    public func dispatch(_ updates: [JSONValue], freshAbove: Int64? = nil) async -> [UpdateOutcome] {
        var tails = ShareTails()
        return await dispatch(updates, freshAbove: freshAbove, after: &tails).value
    }

    /// The share of a batch each worker was handed last by ``dispatch(_:freshAbove:after:)``.
    public struct ShareTails: Sendable {
        fileprivate var tasks: [Int: Task<[(Int, UpdateOutcome)], Never>] = [:]
        public init() {}
    }

    /// Hands a batch to the workers without waiting for the batch before: each worker takes its share once it
    /// has handled its share of the batches handed before (`tails`), so a chat's updates stay in order, while
    /// a worker done with its share goes on to the next batch instead of waiting for the others.
    /// The task's value is the outcomes, in input order.
    public func dispatch(
        _ updates: [JSONValue],
        freshAbove: Int64?,
        after tails: inout ShareTails
    ) -> Task<[UpdateOutcome], Never> {
        let receivedAt = ContinuousClock.now
        var parts: [Task<[(Int, UpdateOutcome)], Never>] = []
        for (shard, items) in shares(of: updates) {
            let previous = tails.tasks[shard]
            let part = Task {
                _ = await previous?.value
                return await handle(items, on: workers[shard], receivedAt: receivedAt, freshAbove: freshAbove)
            }
            tails.tasks[shard] = part
            parts.append(part)
        }
        let count = updates.count
        return Task {
            var results: [(Int, UpdateOutcome)] = []
            for part in parts { results += await part.value }
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

    private func handle(
        _ items: [(position: Int, update: JSONValue)],
        on worker: Worker,
        receivedAt: ContinuousClock.Instant,
        freshAbove: Int64?
    ) async -> [(Int, UpdateOutcome)] {
        let results = await worker.handle(batch: items.map(\.update), receivedAt: receivedAt, freshAbove: freshAbove)
        return Array(zip(items.map(\.position), results))
    }

    private static func ordered(_ results: [(Int, UpdateOutcome)], count: Int) -> [UpdateOutcome] {
        var outcomes = [UpdateOutcome?](repeating: nil, count: count)
        for (position, outcome) in results { outcomes[position] = outcome }
        return outcomes.map { $0 ?? UpdateOutcome(updateID: nil, kind: "invalid", stopped: .malformed) }
    }
}
