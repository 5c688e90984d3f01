import Foundation
public import Logging
import RedisStore
import Synchronization
public import WardenJSON

/// One shard: a thread of its own with a Lua state and a Redis connection.
///
/// Updates of one chat always go to the same worker, so they are handled in
/// order; different workers run in parallel.
///
/// ```swift
/// let worker = try await Worker(options: options, sink: outbox, logger: logger)
/// let outcome = await worker.handle(update)
/// ```
public actor Worker {
    private let executor: ThreadExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private var host: PluginHost?
    private let logger: Logger
    private let reload: ReloadSignal
    private let latency: LatencyRecorder?
    private var loadedGeneration: Int
    private var idleCollectionQueued = false
    /// The load errors last reported to the sudo users, so one broken file is reported once.
    private var reportedErrors: [String] = []
    public nonisolated let shard: Shard
    private let handledCount = Atomic<Int>(0)
    /// Updates handled to the end (their actions handed to the outbox), read without waiting for the worker:
    /// `warden bench` watches it every few milliseconds, which `stats` would do between two batches.
    public nonisolated var updatesHandled: Int { handledCount.load(ordering: .acquiring) }
    public nonisolated var index: Int { shard.index }

    /// Creates the worker's thread, then its Redis connection and plugin host on that thread.
    public init(
        shard: Shard = .single,
        options: PluginHost.Options,
        sink: any ActionSink,
        redisURL: String?,
        logger: Logger
    ) async throws {
        self.shard = shard
        self.logger = logger
        reload = options.reload
        latency = options.latency
        loadedGeneration = options.reload.current
        executor = ThreadExecutor(name: "warden-worker-\(shard.index)")
        var options = options
        options.shard = shard
        try setUp(options: options, sink: sink, redisURL: redisURL)
    }

    private func setUp(options: PluginHost.Options, sink: any ActionSink, redisURL: String?) throws {
        var redis: RedisConnection?
        if let redisURL {
            redis = try RedisConnection(url: redisURL)
        }
        let host = try PluginHost(options: options, sink: sink, redis: redis, logger: logger)
        host.loadPlugins()
        host.setCompletionListener { [weak self] in
            guard let self else { return }
            Task { await self.drainCompletions() }
        }
        self.host = host
    }

    /// Dispatches one update through the plugins.
    public func handle(_ update: JSONValue) -> UpdateOutcome {
        guard let host else { return UpdateOutcome(updateID: update["update_id"]?.int, kind: "invalid") }
        defer { handledCount.add(1, ordering: .releasing) }
        return host.handle(update: update)
    }

    /// Dispatches updates of this worker's chats, in order, in one hop onto its thread.
    /// - Parameters:
    ///   - receivedAt: when the batch arrived, for the latency `warden bench` reports.
    ///   - freshAbove: update ids above this cannot have been handled before (the poller knows).
    public func handle(
        batch updates: [JSONValue],
        receivedAt: ContinuousClock.Instant = .now,
        freshAbove: Int64? = nil
    ) -> [UpdateOutcome] {
        reloadIfRequested()
        guard let host else { return updates.map { handle($0) } }
        defer { scheduleIdleCollection() }
        let outcomes = host.handle(batch: updates, freshAbove: freshAbove)
        // The batch's updates are recorded together, after the ledger: each one's wait ends then. Before the
        // count moves: `warden bench` reads the latencies once the count says every update was handled.
        latency?.record(ContinuousClock.now - receivedAt, count: outcomes.count)
        handledCount.add(outcomes.count, ordering: .releasing)
        return outcomes
    }

    /// Queues a batch of this worker's chats on its thread now, behind the ones queued before, and returns
    /// at once: the answer comes when the worker gets to it. A worker done with one batch goes straight on to
    /// the next queued, where `await handle(batch:)` from a task chained to the batch before would wait for
    /// that task to wake on the pool and then for this thread to wake.
    nonisolated func submit(
        batch updates: [JSONValue],
        receivedAt: ContinuousClock.Instant,
        freshAbove: Int64?
    ) -> OneShot<[UpdateOutcome]> {
        let answer = OneShot<[UpdateOutcome]>()
        executor.run { [self] in
            answer.fulfill(assumeIsolated { $0.handle(batch: updates, receivedAt: receivedAt, freshAbove: freshAbove) })
        }
        return answer
    }

    /// Queues a collection of the Lua state's garbage behind whatever the worker has to do, when
    /// enough was allocated (see `IdleCollection`).
    private func scheduleIdleCollection() {
        guard !idleCollectionQueued, host?.hasGarbageDue == true else { return }
        idleCollectionQueued = true
        Task { self.collectIfIdle() }  // isolated to the worker, like this method
    }

    /// Collects now if nothing waits for the worker; otherwise the batch that waits schedules it again.
    private func collectIfIdle() {
        idleCollectionQueued = false
        guard !executor.hasWaitingWork else { return }
        host?.collectIdleGarbage()
    }

    /// Reloads the plugin files when `/reload` (on any worker) asked for it since the last load.
    func reloadIfRequested() {
        let generation = reload.current
        guard generation != loadedGeneration else { return }
        loadedGeneration = generation
        let errors = reloadPlugins()
        logger.notice(
            "plugins reloaded",
            metadata: ["worker": "\(index)", "plugins": "\(pluginNames.count)", "errors": "\(errors.count)"]
        )
        // Every worker loads the same files; one of them tells the sudo users what failed.
        let lines = errors.map { "• \($0.plugin): \($0.message)" }
        defer { reportedErrors = lines }
        if index == 0 && !errors.isEmpty && lines != reportedErrors {
            host?.notifySudoUsers(
                "Plugin reload: \(errors.count) plugin(s) failed to load; the previous version keeps running "
                    + "where there was one.\n" + lines.joined(separator: "\n")
            )
        }
    }

    /// Runs the callbacks of finished actions.
    public func drainCompletions() {
        host?.drainCompletions()
    }

    /// Runs the `after` timers and plugins' `cron()` functions that are due.
    public func runDue() {
        reloadIfRequested()
        guard let host else { return }
        let now = host.options.clock()
        host.runTimers(now: now)
        host.runCron(now: now)
        host.options.metrics?.luaMemory(worker: index, bytes: host.luaMemoryInUse)
    }

    /// Reloads the plugin files; the old set keeps running until the new one is in.
    public func reloadPlugins() -> [PluginLoadError] {
        host?.loadPlugins() ?? []
    }

    public var stats: DispatchStats { host?.stats ?? DispatchStats() }
    public var pluginNames: [String] { host?.pluginNames ?? [] }

    /// Whether this is running on the worker's own thread (for tests: never the cooperative pool).
    func isOnOwnThread() -> Bool { executor.isCurrentThread }

    /// The name the OS shows for the thread this runs on (for tests: `top -H` tells the workers apart).
    func currentThreadName() -> String? {
        (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Closes the Lua state and Redis connection on the worker's thread, then ends it.
    public func shutdown() {
        host = nil
        executor.shutdown()
    }
}
