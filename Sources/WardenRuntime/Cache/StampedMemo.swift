/// Values derived from cached Redis reads, each kept while the read cache's stamp of the keys it came from
/// (``RedisReadCache/stamp(of:)``) stays the same: a change to another chat's keys keeps it. Owned by one
/// worker.
struct StampedMemo<Key: Hashable, Value> {
    private var values: [Key: (stamp: UInt64, value: Value)] = [:]
    /// Past this many keys it starts over, so a bot in many chats keeps only the busy ones.
    let capacity: Int

    init(capacity: Int = 10_000) { self.capacity = capacity }

    func lookup(_ key: Key, stamp: UInt64) -> Value? {
        guard let kept = values[key], kept.stamp == stamp else { return nil }
        return kept.value
    }

    mutating func keep(_ value: Value, for key: Key, stamp: UInt64) {
        if values.count >= capacity && values[key] == nil { values.removeAll(keepingCapacity: true) }
        values[key] = (stamp, value)
    }
}
