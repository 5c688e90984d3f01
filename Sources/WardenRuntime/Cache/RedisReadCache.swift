import LuaHost
import RedisStore
import Synchronization

/// Replies to reads of rarely-written keys (a chat's settings and blocklist, disabled plugins, global
/// bans), shared by every worker, so an ordinary message does not ask Redis for them.
///
/// Redis stays the truth. The cache is only live while a ``KeyspaceWatcher`` is subscribed to the
/// keyspace notifications of those keys: a write from anywhere (this bot, another process, an
/// operator's `redis-cli`) drops the key's replies as soon as its notification arrives, and a write
/// made through ``send(_:on:)`` drops them at once. While the watcher is not subscribed (starting,
/// Redis down, notifications not allowed), every read goes to Redis.
///
/// A small hash or set is read whole on its first miss (``KeySnapshot``), so reads of members not asked
/// for yet (a new user's `HGET` in the global ban list) need no round trip either.
///
/// A reply is stored only if its key was not invalidated between the read being sent and answered (a
/// generation count, and the generation each key was last invalidated at), so a read racing a write can
/// never leave the old value behind, and a write to one key does not stop the reads of others being kept.
///
/// Each Lua state keeps copies of the small keys its plugins read on every message, and their stamps,
/// answering them without a host call: it drops them by ``changes(since:)`` whenever ``generationCounter``
/// (which it reads without a host call, before every answer) has moved.
final class RedisReadCache: Sendable {
    /// The kinds of key cached: the part after the prefix (and after the `{chat:ID}:` tag), up to the
    /// next `:`. Keys written on every message (flood windows, the ledger) would only churn.
    static let defaultKinds = Set(chatKinds + otherChatKinds + globalKinds)

    /// The cached kinds kept per chat, read ahead for the chats a batch brings for the first time, and the
    /// global ones, read ahead with the first batch.
    static let chatKinds = ["settings", "blocklist", "disabled_plugins", "captcha_pending"]
    static let globalKinds = ["settings", "disabled_plugins", "gbans", "sudo"]
    /// Cached per chat, read when first asked for: the keys behind roles (a command checks one, an ordinary
    /// message seldom does) and the names `/modlist` shows.
    static let otherChatKinds = ["admins", "mods", "approved", "admins_fetched", "mod_names", "approved_names"]

    /// Commands whose reply depends on their first key alone.
    static let readCommands: Set<ByteKey> = Set(
        [
            "get", "hget", "hgetall", "hmget", "hexists", "hlen", "hkeys", "hvals", "smembers", "sismember",
            "smismember", "scard", "strlen", "type",
        ].map(ByteKey.init)
    )

    /// Reads a ``KeySnapshot`` can answer: worth reading the key whole on a miss.
    static let memberCommands: Set<ByteKey> = Set(
        [
            "hget", "hgetall", "hmget", "hexists", "hlen", "hkeys", "hvals", "smembers", "sismember", "smismember",
            "scard",
        ]
        .map(ByteKey.init)
    )

    let prefix: [UInt8]
    let kinds: Set<[UInt8]>
    let maxEntries: Int

    private struct State {
        var live = false
        /// Moves on with every invalidation: a read remembers it when sent.
        var generation: UInt64 = 0
        /// Keys invalidated lately → the generation their invalidation made. A read of one of them sent
        /// before that is not stored; writes to other keys do not hold it back.
        var invalidated: [ByteKey: UInt64] = [:]
        /// Reads sent before this generation are not stored at all (everything was dropped, or `invalidated`
        /// was emptied to bound it).
        var storableFrom: UInt64 = 0
        /// Keys invalidated after `changesFrom`, oldest first: what the copies in Lua states must drop.
        var changes: [(generation: UInt64, key: ByteKey)] = []
        var changesFrom: UInt64 = 0
        /// key → (argv → reply)
        var entries: [ByteKey: [[[UInt8]]: RedisReply]] = [:]
        /// key → the whole key, for small hashes and sets.
        var snapshots: [ByteKey: KeySnapshot] = [:]
        /// Keys found too large (or of another type) to keep whole: cached per command.
        var oversized: Set<ByteKey> = []
        var count = 0
        /// Times everything was dropped (the cache going live or not, or full).
        var clears: UInt64 = 0
        var hits = 0
        var misses = 0
        var readAhead = 0

        func mayStore(_ key: ByteKey, readAt generation: UInt64) -> Bool {
            live && generation >= storableFrom && (invalidated[key] ?? 0) <= generation
        }
    }
    private let state = Mutex(State())
    /// The generation, for Lua states to read without a host call (set with it, while the lock is held).
    let generationCounter = LuaSharedCounter()

    init(prefix: String, kinds: Set<String> = defaultKinds, maxEntries: Int = 200_000) {
        self.prefix = Array(prefix.utf8)
        self.kinds = Set(kinds.map { Array($0.utf8) })
        self.maxEntries = maxEntries
    }

    /// Sends `commands` (argv with the command name lowercased) in one pipeline, leaving out the reads
    /// the cache can answer; no round trip at all when it answers every one.
    func send(_ commands: [[[UInt8]]], on redis: RedisConnection) throws(RedisError) -> [RedisReply] {
        // One read answered from memory (most of a plugin's reads): nothing else to set up.
        if commands.count == 1 {
            let found = lookup(commands[0])
            if case .hit(let reply) = found { return [reply] }
            return try send(commands, lookups: [found], on: redis)
        }
        return try send(commands, lookups: commands.map(lookup), on: redis)
    }

    private func send(
        _ commands: [[[UInt8]]],
        lookups: [Lookup],
        on redis: RedisConnection
    ) throws(RedisError) -> [RedisReply] {
        var replies = [RedisReply?](repeating: nil, count: commands.count)
        var misses: [(position: Int, generation: UInt64?)] = []
        var wholes: [(key: [UInt8], generation: UInt64)] = []
        var writes: [[[UInt8]]] = []
        for (position, argv) in commands.enumerated() {
            switch lookups[position] {
            case .hit(let reply): replies[position] = reply
            case .miss(let generation, let readWhole):
                misses.append((position, generation))
                if readWhole && !wholes.contains(where: { $0.key == argv[1] }) { wholes.append((argv[1], generation)) }
            case .uncached(let isWrite):
                misses.append((position, nil))
                if isWrite { writes.append(argv) }
            }
        }
        guard !misses.isEmpty else { return replies.map { $0! } }
        let answers: [RedisReply]
        do throws(RedisError) {
            answers = try redis.pipeline(
                misses.map { commands[$0.position] } + wholes.map { KeySnapshot.fetch($0.key) }
            )
        } catch {
            writes.forEach(noteWrite)  // it may have run
            throw error
        }
        for (whole, answer) in zip(wholes, answers.dropFirst(misses.count)) {
            store(KeySnapshot(fetched: answer), for: whole.key, generation: whole.generation)
        }
        for (miss, answer) in zip(misses, answers) {
            replies[miss.position] = answer
            if let generation = miss.generation, !wholes.contains(where: { $0.key == commands[miss.position][1] }) {
                store(answer, for: commands[miss.position], generation: generation)
            }
        }
        writes.forEach(noteWrite)
        return replies.map { $0! }
    }

    /// Reads whole, in one round trip, the keys among `keys` the cache knows nothing of yet, as a miss
    /// would one by one: a batch from chats seen for the first time (after a restart, say) then costs one
    /// round trip instead of one per chat and kind of key. Nothing while not live. `alongside` go in the same
    /// round trip; their replies are returned.
    func readAhead(
        _ keys: [[UInt8]],
        alongside: [[[UInt8]]] = [],
        on redis: RedisConnection
    ) throws(RedisError) -> [RedisReply] {
        let (unknown, generation) = state.withLock { state -> ([[UInt8]], UInt64) in
            guard state.live else { return ([], 0) }
            let unknown = keys.filter {
                let key = ByteKey($0)
                return state.snapshots[key] == nil && state.entries[key] == nil && !state.oversized.contains(key)
            }
            state.readAhead += unknown.count
            return (unknown, state.generation)
        }
        guard !unknown.isEmpty || !alongside.isEmpty else { return [] }
        let answers = try redis.pipeline(alongside + unknown.map(KeySnapshot.fetch))
        for (key, answer) in zip(unknown, answers.dropFirst(alongside.count)) {
            store(KeySnapshot(fetched: answer), for: key, generation: generation)
        }
        return Array(answers.prefix(alongside.count))
    }

    enum Lookup: Equatable {
        case hit(RedisReply)
        /// A cacheable read not cached yet: store its reply with this generation, or read the key whole.
        case miss(generation: UInt64, readWhole: Bool)
        /// Not a cached read; `isWrite` when it may change a cached key.
        case uncached(isWrite: Bool)
    }

    func lookup(_ argv: [[UInt8]]) -> Lookup {
        guard argv.count >= 2 else { return .uncached(isWrite: false) }
        guard Self.readCommands.contains(ByteKey(argv[0])) else {
            return .uncached(isWrite: argv.dropFirst().contains { isCachedKey($0) })
        }
        guard isCachedKey(argv[1]) else { return .uncached(isWrite: false) }
        return state.withLock { state in
            guard state.live else { return .uncached(isWrite: false) }
            let key = ByteKey(argv[1])
            if let reply = state.snapshots[key]?.answer(argv) ?? state.entries[key]?[argv] {
                state.hits += 1
                return .hit(reply)
            }
            state.misses += 1
            let readWhole =
                Self.memberCommands.contains(ByteKey(argv[0])) && state.snapshots[key] == nil
                && !state.oversized.contains(key)
            return .miss(generation: state.generation, readWhole: readWhole)
        }
    }

    /// Keeps a key whole, or notes that it is too large to (nil).
    func store(_ snapshot: KeySnapshot?, for key: [UInt8], generation: UInt64) {
        let key = ByteKey(key)
        state.withLock { state in
            guard state.mayStore(key, readAt: generation) else { return }
            guard let snapshot else {
                state.oversized.insert(key)
                return
            }
            if state.count >= maxEntries { clear(&state) }
            state.count += snapshot.memberCount - (state.snapshots.updateValue(snapshot, forKey: key)?.memberCount ?? 0)
        }
    }

    func store(_ reply: RedisReply, for argv: [[UInt8]], generation: UInt64) {
        if case .error = reply { return }
        let key = ByteKey(argv[1])
        state.withLock { state in
            guard state.mayStore(key, readAt: generation) else { return }
            if state.count >= maxEntries { clear(&state) }
            if state.entries[key, default: [:]].updateValue(reply, forKey: argv) == nil { state.count += 1 }
        }
    }

    /// Drops the replies of every cached key among the arguments of a command that may have written them.
    func noteWrite(_ argv: [[UInt8]]) {
        for argument in argv.dropFirst() where isCachedKey(argument) { invalidate(key: argument) }
    }

    func invalidate(key: [UInt8]) {
        let key = ByteKey(key)
        state.withLock { state in
            advanceGeneration(&state)
            state.invalidated[key] = state.generation
            if state.invalidated.count > Self.invalidationsKept {
                state.invalidated.removeAll(keepingCapacity: true)
                state.storableFrom = state.generation
            }
            if let dropped = state.entries.removeValue(forKey: key) { state.count -= dropped.count }
            if let dropped = state.snapshots.removeValue(forKey: key) { state.count -= dropped.memberCount }
            state.oversized.remove(key)
            state.changes.append((state.generation, key))
            if state.changes.count > 2 * Self.changesKept {
                state.changesFrom = state.changes[state.changes.count - Self.changesKept - 1].generation
                state.changes.removeFirst(state.changes.count - Self.changesKept)
            }
        }
    }

    /// The keys invalidated after `generation` and the generation now, for a copy of replies taken at
    /// `generation` (nil: a copy taken before the cache was ever asked); nil keys when that is no longer
    /// known (everything was dropped since, or too much changed): then every copy must go.
    func changes(since generation: UInt64?) -> (generation: UInt64, keys: [[UInt8]]?) {
        state.withLock { state in
            guard let generation, generation >= state.changesFrom else { return (state.generation, nil) }
            let changed = state.changes.reversed().prefix { $0.generation > generation }
            return (state.generation, changed.map(\.key.bytes))
        }
    }

    /// The whole of `key` as kept now (a small hash or set, or missing), for a Lua state to copy; nil when
    /// the cache does not hold it whole or is not live.
    func snapshot(of key: [UInt8]) -> KeySnapshot? {
        state.withLock { state in state.live ? state.snapshots[ByteKey(key)] : nil }
    }

    /// Live: replies may be kept (the watcher is subscribed). Either way, everything kept so far is dropped,
    /// since notifications may have been missed.
    func setLive(_ live: Bool) {
        state.withLock { state in
            state.live = live
            clear(&state)
        }
    }

    var isLive: Bool { state.withLock { $0.live } }

    /// Changes whenever a cached key may have changed (any write, expiry or outage), so a value derived from
    /// cached reads may be kept while it stays the same (`stamp(of:)` for one derived from a few keys); nil
    /// while not live.
    var stamp: UInt64? { state.withLock { $0.live ? $0.generation : nil } }

    /// Changes whenever one of `keys` may have changed (a write to it, or everything dropped), and not for
    /// writes to other keys: what is derived from these keys alone may be kept while it stays the same; nil
    /// while not live.
    func stamp(of keys: [[UInt8]]) -> UInt64? {
        state.withLock { state in
            guard state.live else { return nil }
            // A key invalidated before the record was last emptied reads as invalidated then: a change, once.
            return keys.reduce(state.storableFrom) { Swift.max($0, state.invalidated[ByteKey($1)] ?? 0) }
        }
    }

    /// Replies served from memory, reads that went to Redis, and keys read ahead, since the start.
    var counts: ReadCacheCounts {
        state.withLock { ReadCacheCounts(hits: $0.hits, misses: $0.misses, readAhead: $0.readAhead) }
    }

    /// Changes whenever everything kept was dropped: what a reader knows to be cached since is not any more.
    var clears: UInt64 { state.withLock { $0.clears } }

    /// Invalidated keys remembered for reads in flight; past this, reads in flight are not stored at all.
    static let invalidationsKept = 4096
    /// Invalidated keys listed for the copies in Lua states; one that has fallen further behind drops all.
    static let changesKept = 1024

    private func clear(_ state: inout State) {
        state.clears &+= 1
        advanceGeneration(&state)
        state.storableFrom = state.generation
        state.invalidated.removeAll(keepingCapacity: true)
        state.entries.removeAll(keepingCapacity: true)
        state.snapshots.removeAll(keepingCapacity: true)
        state.oversized.removeAll()
        state.count = 0
        state.changes.removeAll(keepingCapacity: true)
        state.changesFrom = state.generation
    }

    /// The one place the generation moves, so the counter Lua states read moves with it. A reader that sees
    /// the new value and asks ``changes(since:)`` waits for the lock, so it sees the change recorded too.
    private func advanceGeneration(_ state: inout State) {
        state.generation &+= 1
        generationCounter.store(state.generation)
    }

    /// `<prefix><kind>[:…]` or `<prefix>{chat:ID}:<kind>[:…]` with a cached kind.
    func isCachedKey(_ key: [UInt8]) -> Bool {
        guard key.count > prefix.count, key.starts(with: prefix) else { return false }
        var rest = key[prefix.count...]
        if rest.first == UInt8(ascii: "{") {
            guard let close = rest.firstIndex(of: UInt8(ascii: "}")), close + 1 < rest.endIndex,
                rest[close + 1] == UInt8(ascii: ":")
            else { return false }
            rest = rest[(close + 2)...]
        }
        let kind = rest.prefix { $0 != UInt8(ascii: ":") }
        // A handful of kinds: compared in place rather than copied out to be hashed.
        return kinds.contains { $0.elementsEqual(kind) }
    }
}

/// What the read cache did since the start: replies served from memory, reads of cached keys that went to
/// Redis, and keys read ahead for chats seen for the first time.
public struct ReadCacheCounts: Sendable, Equatable {
    public var hits = 0
    public var misses = 0
    public var readAhead = 0

    public init(hits: Int = 0, misses: Int = 0, readAhead: Int = 0) {
        self.hits = hits
        self.misses = misses
        self.readAhead = readAhead
    }
}
