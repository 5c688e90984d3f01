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

    private static let renewScript = RedisScript(
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0"
    )
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

    private var offsetKey: String { keys.schema.global("bot", String(botID), "offset").rawValue }
    private var journalKey: String { keys.actionJournal(botID: botID) }
    private var leaseKey: String { keys.schema.global("bot", String(botID), "poller").rawValue }

    /// The next update id to ask for (0 when none was stored).
    public func loadOffset() throws -> Int64 {
        Int64(try redis.call("GET", offsetKey).string ?? "0") ?? 0
    }

    /// Stores the offset after a batch is handled (never backwards) and forgets ledger entries below it.
    public func saveOffset(_ offset: Int64) throws {
        let current = try loadOffset()
        guard offset > current else { return }
        _ = try redis.pipeline([
            ["SET", offsetKey, String(offset)],
            ["ZREMRANGEBYSCORE", keys.handledUpdates(botID: botID), "-inf", "(\(offset)"],
        ]).map { try $0.checked() }
    }

    /// Takes (or keeps) the poller lease; false while another process holds it.
    public func acquireLease(ttlMilliseconds: Int) throws -> Bool {
        let ttl = String(ttlMilliseconds)
        if try redis.call("SET", leaseKey, instanceID, "NX", "PX", ttl).string == "OK" { return true }
        return try redis.evalScript(
            Self.renewScript,
            keys: [keys.schema.global("bot", String(botID), "poller")],
            args: [instanceID, ttl]
        )
        .checked().int == 1
    }

    /// Gives the lease up (graceful shutdown), if this process holds it.
    public func releaseLease() throws {
        _ = try redis.evalScript(
            Self.releaseScript,
            keys: [keys.schema.global("bot", String(botID), "poller")],
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
        do {
            let replies = try redis.pipeline(fields.map { ["HDEL", journalKey, $0] })
            return Set(zip(fields, replies).compactMap { field, reply in reply.int == 0 ? nil : field })
        } catch {
            logger.warning(
                "action journal entries not removed yet: their actions wait for Redis",
                metadata: ["fields": "\(fields.count)", "error": "\(error)"]
            )
            return nil
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
