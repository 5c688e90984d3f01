public import BotAPI
public import Logging
import RedisStore

/// The bot's own state in Redis: the update offset, the poller lease, chat
/// migrations. An actor on a thread of its own, because hiredis blocks.
public actor BotStateStore: ActionJournalStore {
    private let executor: ThreadExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private let redis: RedisConnection
    private let keys: RuntimeKeys
    private let botID: Int64
    private let logger: Logger
    /// Identifies this process as the lease holder.
    public nonisolated let instanceID: String

    /// Renews this process's lease (1) or takes a free one (2), 0 while another process holds it: what a poller
    /// does after every poll, in one round trip. First, given an offset (ARGV[3]), stores it unless it would
    /// go backwards and forgets the ledger entries below it, and forgets the inbox's batches named in
    /// ARGV[6…] (handled by now); then, holding the lease, keeps the batch just fetched (field ARGV[4],
    /// answer ARGV[5]) in the inbox.
    private static let leaseScript = RedisScript(
        """
        if ARGV[3] ~= '' and tonumber(ARGV[3]) > tonumber(redis.call('GET', KEYS[2]) or '0') then
          redis.call('SET', KEYS[2], ARGV[3])
          redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. ARGV[3])
        end
        if #ARGV > 5 then redis.call('HDEL', KEYS[4], unpack(ARGV, 6)) end
        local outcome = 0
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          outcome = 1
        elseif redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
          outcome = 2
        end
        if outcome ~= 0 and ARGV[4] ~= '' then redis.call('HSET', KEYS[4], ARGV[4], ARGV[5]) end
        return outcome
        """
    )

    /// Removes journal entries and marks each as this process's, in one script: a claim tried again because
    /// its answer was lost (Redis went away after running it) still finds its own entries, instead of taking
    /// them for another process's and dropping their actions. ARGV[1] is the process, the rest the fields.
    private static let claimScript = RedisScript(
        """
        local claimed = {}
        for i = 2, #ARGV do
          if redis.call('HDEL', KEYS[1], ARGV[i]) == 1 then
            redis.call('HSET', KEYS[2], ARGV[i], ARGV[1])
            claimed[#claimed + 1] = ARGV[i]
          elseif redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[1] then
            claimed[#claimed + 1] = ARGV[i]
          end
        end
        return claimed
        """
    )

    /// What became of a poller's lease.
    public enum LeaseOutcome: Sendable, Equatable {
        /// This process held it and still does.
        case renewed
        /// It was free (never taken, released, or lapsed): another process may have polled meanwhile.
        case taken
        /// Another process holds it.
        case refused
    }
    private static let releaseScript = RedisScript(
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"
    )

    public init(redisURL: String, prefix: String, botID: Int64, logger: Logger) async throws {
        executor = ThreadExecutor(name: "warden-state")
        keys = RuntimeKeys(prefix: prefix)
        self.botID = botID
        self.logger = logger
        instanceID = "\(botID)-\(UInt64.random(in: 1...UInt64.max))"
        redis = try await RedisConnection.connect(redisURL, on: executor)
    }

    private var offsetKey: RedisKey { keys.schema.global("bot", String(botID), "offset") }
    private var leaseKey: RedisKey { keys.schema.global("bot", String(botID), "poller") }
    private var inboxKey: RedisKey { keys.updateInboxKey(botID: botID) }

    /// The next update id to ask for (0 when none was stored).
    public func loadOffset() throws -> Int64 {
        Int64(try redis.call("GET", offsetKey.rawValue).string ?? "0") ?? 0
    }

    /// Renews or takes the poller lease. With an offset (after batches are handled), also stores it, never
    /// backwards, and forgets ledger entries below it and the inbox's copies of the handled batches
    /// (`forgetting`, their ``UpdateInbox`` fields). With a batch to keep, the lease held or taken, keeps it in
    /// the inbox until it is handled.
    public func lease(
        ttlMilliseconds: Int,
        storingOffset offset: Int64? = nil,
        keeping batch: UpdateBatch? = nil,
        forgetting handled: [String] = []
    ) throws -> LeaseOutcome {
        let kept = batch.flatMap { batch in UpdateInbox.field(of: batch).map { (field: $0, body: batch.body) } }
        let args: [[UInt8]] =
            [instanceID, String(ttlMilliseconds), offset.map(String.init) ?? "", kept?.field ?? ""].map {
                Array($0.utf8)
            }
            + [kept?.body ?? []] + handled.map { Array($0.utf8) }
        let reply = try redis.evalScript(
            Self.leaseScript,
            keys: [leaseKey, offsetKey, keys.handledUpdatesKey(botID: botID), inboxKey],
            args: args
        )
        switch try reply.checked().int {
        case 1: return .renewed
        case 2: return .taken
        default: return .refused
        }
    }

    /// The batches a poller fetched and did not finish handling (it stopped, was killed, or is still at
    /// it), oldest first; one that does not read back is logged and skipped.
    public func inbox() throws -> [UpdateInbox.Batch] {
        let flat = try redis.call(["HGETALL", inboxKey.rawValue].map { Array($0.utf8) }).array ?? []
        var batches: [UpdateInbox.Batch] = []
        for index in stride(from: 0, to: flat.count - 1, by: 2) {
            guard let field = flat[index].string, let body = flat[index + 1].bytes else { continue }
            do {
                batches.append(UpdateInbox.Batch(field: field, updates: try UpdateBatch(body: body)))
            } catch {
                logger.error("a batch in the update inbox does not read back; skipped", metadata: ["field": "\(field)"])
            }
        }
        return batches.sorted { $0.lastUpdateID < $1.lastUpdateID }
    }

    /// Forgets the inbox's batches (a start that drops pending updates).
    public func clearInbox() throws {
        _ = try redis.call("DEL", inboxKey.rawValue)
    }

    /// Forgets the inbox's batches with these fields (handled without a poller: a webhook start).
    public func forgetInbox(_ fields: [String]) throws {
        guard !fields.isEmpty else { return }
        _ = try redis.call((["HDEL", inboxKey.rawValue] + fields).map { Array($0.utf8) })
    }

    /// Takes (or keeps) the poller lease; false while another process holds it.
    public func acquireLease(ttlMilliseconds: Int, storingOffset offset: Int64? = nil) throws -> Bool {
        try lease(ttlMilliseconds: ttlMilliseconds, storingOffset: offset) != .refused
    }

    /// The highest update id in the ledger (`Int64.min` when it is empty): read when the poller takes the
    /// lease, every update above it is one no process has handled.
    public func highestHandledUpdate() throws -> Int64 {
        let reply = try redis.call("ZREVRANGE", keys.handledUpdates(botID: botID), "0", "0")
        return reply.array?.first?.int ?? .min
    }

    /// Gives the lease up (graceful shutdown), if this process holds it.
    public func releaseLease() throws {
        _ = try redis.evalScript(
            Self.releaseScript,
            keys: [leaseKey],
            args: [instanceID]
        )
    }

    /// What a previous process left in the action journal, field → JSON.
    public func journalEntries(_ journal: ActionJournal) throws -> [(field: String, value: String)] {
        let flat = try redis.call("HGETALL", journal.key).checked().array ?? []
        return stride(from: 0, to: flat.count - 1, by: 2).compactMap { index in
            guard let field = flat[index].string, let value = flat[index + 1].string else { return nil }
            return (field, value)
        }
    }

    /// Moves a chat's state to its new supergroup id.
    public func migrateChat(from old: Int64, to new: Int64) {
        ChatMigration.run(from: old, to: new, keys: keys, redis: redis, logger: logger)
    }

    /// Removes journal entries before their actions are tried, or because they never will be; returns the
    /// fields this call removed (one another process removed first is its to send, not ours), or nil when
    /// Redis failed.
    public func claimJournaled(_ fields: [String]) -> Set<String>? {
        guard !fields.isEmpty else { return [] }
        let claims = keys.actionClaimsKey(botID: botID)
        do {
            let reply = try redis.evalScript(
                Self.claimScript,
                keys: [keys.actionJournalKey(botID: botID), claims],
                args: [instanceID] + fields
            )
            let claimed = try (reply.checked().array ?? []).compactMap(\.string)
            // Answered: the marks have done their job. They go with the next round trip; one left behind by a
            // kill is a few bytes.
            if !claimed.isEmpty { try? redis.queueForNextRoundTrip([["HDEL", claims.rawValue] + claimed]) }
            return Set(claimed)
        } catch {
            logger.warning(
                "action journal entries not removed yet: their actions wait for Redis",
                metadata: ["fields": "\(fields.count)", "error": "\(error)"]
            )
            return nil
        }
    }

    /// Writes journal entries back: their actions were claimed and tried, and Telegram refused them with a 429
    /// without carrying them out, so until the retry a restart must send them. Returns false when Redis failed.
    public func returnJournaled(_ entries: [(field: String, value: String)]) -> Bool {
        guard !entries.isEmpty else { return true }
        do {
            let command =
                ["HSET", keys.actionJournalKey(botID: botID).rawValue] + entries.flatMap { [$0.field, $0.value] }
            _ = try redis.call(command.map { Array($0.utf8) })
            return true
        } catch {
            logger.warning(
                "rate-limited actions not given back to the journal: a restart before their retry loses them",
                metadata: ["entries": "\(entries.count)", "error": "\(error)"]
            )
            return false
        }
    }

    /// Closes the connection and ends the thread.
    public func close() {
        redis.close()
        executor.shutdown()
    }
}

/// Carries a single-owner value across the hop back from its thread (it is not used there afterwards).
extension RedisConnection {
    /// Connects on `executor`'s thread: connecting blocks, and must never block the cooperative pool.
    static func connect(_ url: String, on executor: ThreadExecutor) async throws(RedisError) -> RedisConnection {
        let result: Result<UncheckedBox<RedisConnection>, RedisError> = await withCheckedContinuation { continuation in
            executor.run {
                do throws(RedisError) {
                    continuation.resume(returning: .success(UncheckedBox(try RedisConnection(url: url))))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get().value
    }
}

struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
