import WardenJSON

/// One queued update: its id, its kind (the `Update` field it fills) and the object.
struct PendingUpdate: Sendable, Hashable {
    let id: Int64
    let kind: String
    let payload: JSONValue
    /// Updates with the same key (chat, or user for callback queries) are delivered to a webhook in order.
    let key: Int64
    /// `json` serialized (keys sorted), once, when queued: as Telegram stores an update and sends the same
    /// bytes to every `getUpdates` or webhook call that delivers it, instead of building them for each.
    let bytes: [UInt8]

    init(id: Int64, kind: String, payload: JSONValue, key: Int64) {
        self.id = id
        self.kind = kind
        self.payload = payload
        self.key = key
        bytes = Self.json(id: id, kind: kind, payload: payload).serialized(sortedKeys: true)
    }

    var json: JSONValue { Self.json(id: id, kind: kind, payload: payload) }

    private static func json(id: Int64, kind: String, payload: JSONValue) -> JSONValue {
        ["update_id": .int(id), kind: payload]
    }
}

/// The bot's update queue with Telegram's getUpdates semantics.
///
/// An update is confirmed (and forgotten) when getUpdates is called with an offset above its id; a negative
/// offset keeps only that many of the newest updates. `allowed_updates` filters what is queued from the
/// moment it is set, so updates queued earlier are still delivered, as the reference warns.
struct UpdateQueue: Sendable {
    /// Every `Update` field except `chat_member`, `message_reaction` and `message_reaction_count`.
    let defaultKinds: Set<String>
    /// Queued updates from `head` on, oldest first; confirmed ones are skipped, then compacted away in bulk,
    /// so confirming a batch costs its size, not the queue's (a bench queues 100,000).
    private var storage: [PendingUpdate] = []
    private var head = 0
    var pending: ArraySlice<PendingUpdate> { storage[head...] }
    private(set) var nextID: Int64
    private(set) var allowedKinds: Set<String>
    /// Updates not queued because `allowed_updates` left their kind out.
    private(set) var filtered = 0

    init(allKinds: [String], firstID: Int64) {
        defaultKinds = Set(allKinds).subtracting(["chat_member", "message_reaction", "message_reaction_count"])
        allowedKinds = defaultKinds
        nextID = firstID
    }

    /// The `allowed_updates` the bot last set, or nil while the default applies.
    var allowedUpdates: [String]? { allowedKinds == defaultKinds ? nil : allowedKinds.sorted() }

    /// Queues an update unless its kind is filtered out; returns it when queued.
    mutating func enqueue(kind: String, payload: JSONValue, key: Int64) -> PendingUpdate? {
        guard allowedKinds.contains(kind) else {
            filtered += 1
            return nil
        }
        let update = PendingUpdate(id: nextID, kind: kind, payload: payload, key: key)
        nextID += 1
        storage.append(update)
        return update
    }

    /// Applies `allowed_updates`: nil keeps the previous setting, an empty list restores the default.
    mutating func setAllowed(_ kinds: [String]?) {
        guard let kinds else { return }
        let known = Set(kinds).intersection(
            defaultKinds.union(["chat_member", "message_reaction", "message_reaction_count"])
        )
        allowedKinds = known.isEmpty ? defaultKinds : known
    }

    /// Confirms updates below `offset` (or keeps the newest `-offset`) and returns up to `limit` from the head.
    mutating func fetch(offset: Int64?, limit: Int) -> [PendingUpdate] {
        confirm(offset: offset)
        return Array(pending.prefix(limit))
    }

    /// The confirmation half of `fetch`, also used before a long poll starts waiting.
    mutating func confirm(offset: Int64?) {
        guard let offset, offset != 0 else { return }
        if offset < 0 {
            head = max(head, storage.count - Int(min(-offset, Int64(storage.count))))
        } else if offset <= nextID {
            // An offset beyond the newest id is ignored by Telegram rather than emptying the queue.
            while head < storage.count, storage[head].id < offset { head += 1 }
        }
        compact()
    }

    /// Removes one update, once a webhook accepted it.
    mutating func remove(id: Int64) {
        if let index = storage[head...].firstIndex(where: { $0.id == id }) { storage.remove(at: index) }
    }

    /// Drops everything queued (`drop_pending_updates`).
    mutating func removeAll() {
        storage.removeAll()
        head = 0
    }

    private mutating func compact() {
        guard head > 1024, head * 2 > storage.count else { return }
        storage.removeFirst(head)
        head = 0
    }
}
