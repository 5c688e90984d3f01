/// Values derived from cached Redis reads, kept while the read cache's stamp (``RedisReadCache/stamp``)
/// stays the same: any change to a cached key drops them all. Owned by one worker.
struct StampedMemo<Key: Hashable, Value> {
    private var stamp: UInt64?
    private var values: [Key: Value] = [:]
    /// Past this many keys it starts over, so a bot in many chats keeps only the busy ones.
    let capacity: Int

    init(capacity: Int = 10_000) { self.capacity = capacity }

    func lookup(_ key: Key, stamp: UInt64) -> Value? {
        self.stamp == stamp ? values[key] : nil
    }

    mutating func keep(_ value: Value, for key: Key, stamp: UInt64) {
        if self.stamp != stamp || values.count >= capacity {
            values.removeAll(keepingCapacity: true)
            self.stamp = stamp
        }
        values[key] = value
    }
}
