import BotAPI

/// The batches a poller has handed to the workers and not yet stored as handled.
///
/// While Telegram has more waiting, the poller fetches the next batch while the workers handle the ones before
/// it (up to `depth` of them), so neither waits for the other; `UpdateInbox` keeps each batch in Redis meanwhile.
/// The offset is stored past a batch once it and every batch before it were handled, in order.
struct PollPipeline {
    private struct Handed {
        let field: String
        let offset: Int64
        let task: Task<[UpdateOutcome], Never>
    }

    /// How many batches may be handed out and not known to be handled.
    let depth: Int
    /// The offset the next `getUpdates` asks for: past every batch handed out and kept in the inbox.
    private(set) var nextOffset: Int64
    /// The ledger's highest update id when the lease was taken (nil when it could not be read).
    private var ledgerHighest: Int64?
    /// The last update id handed out.
    private var lastHanded: Int64 = .min
    /// Set when a lease is taken: the inbox may hold batches another process did not finish.
    var inboxUnread = true
    private var handed: [Handed] = []
    private var handled: [Handed] = []

    init(offset: Int64, depth: Int, ledgerHighest: Int64?) {
        nextOffset = offset
        self.depth = max(1, depth)
        self.ledgerHighest = ledgerHighest
    }

    /// Update ids above this cannot have been handled before: none above the ledger's highest when the lease
    /// was taken (no other process polls while this one holds it), and none this process has not handed out
    /// (so a batch fetched again after a failed round trip is looked up). Nil: every id is looked up.
    var horizon: Int64? { ledgerHighest.map { max($0, lastHanded) } }

    /// The inbox fields of the batches handed out and not yet stored as handled (a takeover skips them).
    var fields: Set<String> { Set((handled + handed).map(\.field)) }

    /// What the next round trip stores: the offset past the batches known handled, and their inbox fields.
    var progress: (offset: Int64?, fields: [String]) { (handled.last?.offset, handled.map(\.field)) }

    /// Hands a batch to the workers; `advance(past:)` follows once it is handled or in the inbox.
    mutating func hand(_ batch: UpdateBatch, to router: UpdateRouter) {
        guard let field = UpdateInbox.field(of: batch) else { return }
        let task = router.hand(batch.updates.map(\.raw), freshAbove: horizon)
        handed.append(Handed(field: field, offset: batch.offset(after: nextOffset), task: task))
        lastHanded = max(lastHanded, batch.updates.last?.updateID ?? .min)
    }

    /// The batch is handled or in the inbox: the next `getUpdates` may confirm it.
    mutating func advance(past batch: UpdateBatch) {
        nextOffset = max(nextOffset, batch.offset(after: nextOffset))
    }

    /// A lease taken anew: the ledger's highest id as it found it.
    mutating func leaseTaken(ledgerHighest highest: Int64?) {
        ledgerHighest = highest
        inboxUnread = true
    }

    /// The round trip stored `progress`.
    mutating func stored(_ progress: (offset: Int64?, fields: [String])) {
        handled.removeFirst(min(progress.fields.count, handled.count))
    }

    /// Waits for the oldest batches while more than `depth` are out.
    mutating func waitForRoom() async {
        while handed.count > depth { await finishOldest() }
    }

    /// Waits for every batch handed out.
    mutating func drain() async {
        while !handed.isEmpty { await finishOldest() }
    }

    private mutating func finishOldest() async {
        let oldest = handed.removeFirst()
        _ = await oldest.task.value
        handled.append(oldest)
    }
}
