public import BotAPI

/// Where a poller keeps the batches it fetched until they are handled (`warden:bot:BOTID:inbox`).
///
/// The poller asks Telegram for the next batch while the workers handle this one, and that `getUpdates`
/// confirms this one: Telegram forgets it. So before asking, the poller keeps the batch's answer in Redis
/// (in the round trip that renews its lease), and forgets it when it stores the offset past the batch. A
/// process that takes the lease over handles what it finds there first; the ledger skips what was handled.
public enum UpdateInbox {
    /// A batch read back from the inbox.
    public struct Batch: Sendable {
        public let field: String
        public let updates: UpdateBatch

        public var lastUpdateID: Int64 { updates.updates.last?.updateID ?? .min }
    }

    /// A batch's field: its last update id (nil for an empty batch, which is never kept).
    public static func field(of batch: UpdateBatch) -> String? {
        batch.updates.last.map { String($0.updateID) }
    }
}
