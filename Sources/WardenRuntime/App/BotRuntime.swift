public import BotAPI
import Foundation
public import Logging
import RedisStore
import ServiceLifecycle
import UnixSignals
import WardenJSON

/// `warden run`: connects to Telegram (or a local Bot API server, or the
/// simulator), starts the workers, the outbox and the ingress, and runs until
/// SIGTERM or SIGINT (or `stop()`).
public final class BotRuntime: Sendable {
    /// How updates come in.
    public enum Ingress: Sendable {
        case polling(dropPendingUpdates: Bool)
        case webhook(url: String, dropPendingUpdates: Bool)
    }

    public let bot: User
    public let outbox: Outbox
    public let workers: [Worker]
    /// What `/metrics` serves; also readable in tests.
    public let metrics: WardenMetrics
    private let store: BotStateStore
    private let group: ServiceGroup
    private let keyspaceWatcher: KeyspaceWatcher?
    private let readCache: RedisReadCache?

    /// Connects (`getMe`), creates workers, outbox and ingress; nothing runs until `run()`.
    /// - Parameter latency: receives each update's handling latency (`warden bench`).
    public init(
        config: WardenConfig,
        ingress: Ingress,
        logger: Logger,
        signals: Bool = true,
        latency: LatencyRecorder? = nil
    ) async throws {
        guard let token = config.token else {
            throw ConfigError(field: "token", "is required to run against Telegram (set it, or WARDEN_TOKEN)")
        }
        try Self.checkPluginDirectory(config)
        let client = BotAPIClient(token: token.exposedValue, baseURL: config.apiBaseURL, logger: logger)
        bot = try await Self.identify(client, logger: logger)
        try await Self.waitForRedis(config.redisURL.exposedValue, logger: logger)
        var options = PluginHost.Options(config: config)
        options.botID = bot.id
        options.botUsername = bot.username
        options.botFirstName = bot.firstName
        options.adminDirectory = BotAPIAdminDirectory(client: client)
        let metrics = WardenMetrics()
        options.metrics = metrics
        self.metrics = metrics
        let journal = ActionJournal(key: RuntimeKeys(prefix: config.redisPrefix).actionJournal(botID: bot.id))
        options.journal = journal
        options.latency = latency
        if config.redisCache {
            let cache = RedisReadCache(prefix: config.redisPrefix)
            options.readCache = cache
            readCache = cache
            keyspaceWatcher = KeyspaceWatcher(
                url: try RedisURL(config.redisURL.exposedValue),
                cache: cache,
                logger: logger
            )
            keyspaceWatcher?.start()
        } else {
            keyspaceWatcher = nil
            readCache = nil
        }
        logger.info("connected", metadata: ["bot.id": "\(bot.id)", "bot.username": "\(bot.username ?? "")"])

        outbox = Outbox(transport: client, configuration: config.outbox, metrics: metrics, logger: logger)
        let workerCount = config.workers == 0 ? ProcessInfo.processInfo.activeProcessorCount : config.workers
        var workers: [Worker] = []
        for index in 0..<max(1, workerCount) {
            workers.append(
                try await Worker(
                    shard: Shard(index: index, count: max(1, workerCount)),
                    options: options,
                    sink: outbox,
                    redisURL: config.redisURL.exposedValue,
                    logger: logger
                )
            )
        }
        self.workers = workers
        let store = try await BotStateStore(
            redisURL: config.redisURL.exposedValue,
            prefix: config.redisPrefix,
            botID: bot.id,
            logger: logger
        )
        self.store = store
        outbox.useJournal(store)
        let left = journal.resend(
            try await store.journalEntries(journal),
            to: outbox,
            now: Date().timeIntervalSince1970
        )
        _ = await store.claimJournaled(left.stale)
        if left.resent > 0 {
            logger.notice("sending the actions the last run left unsent", metadata: ["actions": "\(left.resent)"])
        }
        outbox.onMigration { old, new in Task { await store.migrateChat(from: old, to: new) } }
        let router = UpdateRouter(workers: workers)

        let entry: any Service
        switch ingress {
        case .polling(let drop):
            var pollingOptions = LongPoller.Options()
            pollingOptions.timeout = config.pollingTimeout
            pollingOptions.leaseMilliseconds = (config.pollingTimeout + 10) * 1000
            pollingOptions.dropPendingUpdates = drop
            entry = LongPoller(
                client: client,
                store: store,
                router: router,
                options: pollingOptions,
                logger: logger
            )
        case .webhook(let url, let drop):
            try await Self.finishInbox(of: store, router: router, dropping: drop, logger: logger)
            entry = try await WebhookSetup.prepare(
                url: url,
                dropPendingUpdates: drop,
                config: config,
                client: client,
                router: router,
                logger: logger
            )
        }
        var services: [any Service] = [outbox] + workers.map { ShardClock(worker: $0) }
        if config.statusListenPort != 0 {
            let started = Date()
            let (workers, outbox, bot) = (self.workers, self.outbox, self.bot)
            services.append(
                StatusServer(
                    host: config.statusListenHost,
                    port: config.statusListenPort,
                    metrics: metrics,
                    health: { await Self.health(bot: bot, workers: workers, outbox: outbox, since: started) },
                    logger: logger
                )
            )
        }
        if config.watchPlugins {
            services.append(PluginWatcher(directory: config.pluginDirectory, reload: options.reload))
        }
        // Services stop in reverse order: ingress first, then the watcher and cron, then the outbox flushes.
        group = ServiceGroup(
            configuration: .init(
                services: services + [entry],
                gracefulShutdownSignals: signals ? [.sigterm, .sigint] : [],
                logger: logger
            )
        )
    }

    /// Batches a poller fetched and did not finish handling (it was stopped or killed) are in the update inbox,
    /// and Telegram has forgotten them: a bot switched to a webhook handles them before it takes deliveries.
    static func finishInbox(
        of store: BotStateStore,
        router: UpdateRouter,
        dropping: Bool,
        logger: Logger
    ) async throws {
        if dropping { return try await store.clearInbox() }
        let left = try await store.inbox()
        guard !left.isEmpty else { return }
        logger.notice("handling the batches the last poller did not finish", metadata: ["batches": "\(left.count)"])
        for batch in left { _ = await router.dispatch(batch.updates.updates.map(\.raw)) }
        try await store.forgetInbox(left.map(\.field))
    }

    /// A bot started without its plugin directory (from the wrong working directory, say) would take updates
    /// from Telegram, confirm them, and do nothing with them: it refuses to start instead. A directory with no
    /// plugins in it is allowed, with a warning from the loader; a reload keeps what was loaded.
    static func checkPluginDirectory(_ config: WardenConfig) throws {
        var isDirectory: ObjCBool = false
        let directory = config.pluginDirectory
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            let full = directory.hasPrefix("/") ? directory : FileManager.default.currentDirectoryPath + "/" + directory
            throw ConfigError(
                field: "plugins.directory",
                "no plugin directory at \(full) (start warden where plugins/ is, or set [plugins] directory)"
            )
        }
    }

    /// Runs until a signal or `stop()`, then closes workers and Redis connections.
    public func run() async throws {
        do {
            try await group.run()
        } catch {
            await close()
            throw error
        }
        await close()
    }

    /// Reads the shared cache answered and reads that went to Redis, since the start (nil without a cache).
    public var readCacheCounts: ReadCacheCounts? { readCache?.counts }

    /// The channel ``readCacheBarrier(_:)`` listens on (nil without a read cache).
    public var readCacheSyncChannel: String? { keyspaceWatcher?.syncChannel }

    /// Returns once a token published on ``readCacheSyncChannel`` reached the cache's watcher, so every
    /// Redis write made before the `PUBLISH` has reached the cache (tests that write Redis directly).
    public func readCacheBarrier(_ token: String) async {
        await keyspaceWatcher?.barrier(token)
    }

    /// Asks every service to finish (ingress first, the outbox flushes last).
    public func stop() async {
        await group.triggerGracefulShutdown()
    }

    private func close() async {
        for worker in workers { await worker.shutdown() }
        await keyspaceWatcher?.stop()
        await store.close()
    }

    /// What `/health` and `warden status` report.
    static func health(bot: User, workers: [Worker], outbox: Outbox, since started: Date) async -> JSONValue {
        var updates = 0
        var errors = 0
        var plugins: [String] = []
        for worker in workers {
            let stats = await worker.stats
            updates += stats.updates
            errors += stats.pluginErrors.values.reduce(0, +)
            if plugins.isEmpty { plugins = await worker.pluginNames }
        }
        let sent = outbox.stats
        return [
            "status": "ok", "bot": .string(bot.username ?? String(bot.id)),
            "uptime_seconds": .int(Int64(Date().timeIntervalSince(started))),
            "workers": .int(Int64(workers.count)), "updates_handled": .int(Int64(updates)),
            "plugin_errors": .int(Int64(errors)), "plugins": .array(plugins.map(JSONValue.string)),
            "outbox": [
                "queued": .int(Int64(sent.queued)), "in_flight": .int(Int64(sent.inFlight)),
                "requests": .int(Int64(sent.requests)), "rate_limited": .int(Int64(sent.rateLimited)),
                "rejected": .int(Int64(sent.rejected)),
            ],
        ]
    }

    /// `warden run`.
    public static func run(config: WardenConfig, ingress: Ingress, logger: Logger) async throws {
        try await BotRuntime(config: config, ingress: ingress, logger: logger).run()
        logger.info("stopped")
    }

    /// `getMe`, retried while Telegram is unreachable; a rejected token stops here with a clear error.
    static func identify(_ client: BotAPIClient, logger: Logger) async throws -> User {
        var failures = 0
        while true {
            do {
                return try await client.getMe()
            } catch {
                if error.errorCode == 401 || error.errorCode == 404 {
                    throw BotRuntimeError(description: "Telegram rejected the bot token (\(error.description))")
                }
                failures += 1
                let delay = LongPoller.backoff(after: failures, error: error)
                logger.warning("getMe failed; retrying", metadata: ["error": "\(error)", "retry_in": "\(delay)"])
                try await Task.sleep(for: delay)
            }
        }
    }
}

extension BotRuntime {
    /// Waits until Redis answers, so a bot started while Redis is down (at boot, or during a restart) comes
    /// up when Redis does instead of exiting. What waiting cannot fix (a bad URL, a refused password) throws.
    static func waitForRedis(_ url: String, logger: Logger) async throws {
        let probe = ThreadExecutor(name: "warden-redis-probe")
        defer { probe.shutdown() }
        var delay = Duration.milliseconds(250)
        var since: ContinuousClock.Instant?
        while true {
            do throws(RedisError) {
                _ = try await RedisConnection.connect(url, on: probe)
                if let since { logger.notice("Redis is up", metadata: ["waited": "\(ContinuousClock.now - since)"]) }
                return
            } catch {
                switch error {
                case .connection, .timeout: break
                case .server where error.serverErrorCode == "LOADING": break
                default: throw error
                }
                if since == nil {
                    since = .now
                    logger.warning("Redis unreachable at start; waiting for it", metadata: ["error": "\(error)"])
                }
            }
            try await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }
}

/// Why `warden run` could not start.
public struct BotRuntimeError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
