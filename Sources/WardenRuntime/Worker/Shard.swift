/// One worker's share of the chats. The same rule routes updates (`UpdateRouter`) and answers a
/// plugin's `shard.owns(chat_id)`, so a plugin's cron on one worker touches only that worker's chats.
public struct Shard: Sendable, Equatable {
    /// 0-based.
    public let index: Int
    public let count: Int

    /// The only worker: owns every chat.
    public static let single = Shard(index: 0, count: 1)

    public init(index: Int, count: Int) {
        precondition(count > 0 && (0..<count).contains(index), "shard \(index) of \(count)")
        self.index = index
        self.count = count
    }

    /// The worker of a chat (or, for updates without one, of a user).
    public static func index(of key: Int64, count: Int) -> Int {
        Int(UInt64(bitPattern: key) % UInt64(count))
    }

    public func owns(_ key: Int64) -> Bool { Self.index(of: key, count: count) == index }

    /// Once-per-process work (a cron that is not per shard) runs here.
    public var isFirst: Bool { index == 0 }
}
