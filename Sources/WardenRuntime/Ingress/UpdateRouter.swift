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
        let receivedAt = ContinuousClock.now
        var shards: [Int: [(position: Int, update: JSONValue)]] = [:]
        for (position, update) in updates.enumerated() {
            let shard = Shard.index(of: Self.shardKey(of: update), count: workers.count)
            shards[shard, default: []].append((position, update))
        }
        var outcomes = [UpdateOutcome?](repeating: nil, count: updates.count)
        await withTaskGroup(of: [(Int, UpdateOutcome)].self) { group in
            for (shard, items) in shards {
                let worker = workers[shard]
                group.addTask {
                    let results = await worker.handle(
                        batch: items.map(\.update),
                        receivedAt: receivedAt,
                        freshAbove: freshAbove
                    )
                    return Array(zip(items.map(\.position), results))
                }
            }
            for await results in group {
                for (position, outcome) in results { outcomes[position] = outcome }
            }
        }
        return outcomes.map { $0 ?? UpdateOutcome(updateID: nil, kind: "invalid", stopped: .malformed) }
    }
}
