public import BotAPI
public import Logging
public import ServiceLifecycle
import WardenJSON

/// Long polling: `getUpdates` in a loop, with a Redis lease so two pollers on one
/// token never run together (no 409 Conflict).
///
/// While batches come full (more are waiting), the next batch is fetched while
/// the workers handle the one before it (`PollPipeline`). That `getUpdates`
/// confirms it to Telegram, so it is kept in Redis until it is handled
/// (`UpdateInbox`); the stored offset moves past a batch only once it is
/// handled: a restart skips nothing.
public final class LongPoller: Service {
    public struct Options: Sendable {
        public var timeout = 30
        public var limit = 100
        public var dropPendingUpdates = false
        /// How long the lease lasts without renewal; renewed after every poll. Kept short (one poll
        /// and a margin) so a replacement for a crashed poller waits seconds, not minutes.
        public var leaseMilliseconds = 40_000
        /// Batches handed to the workers and not yet known to be handled when the poller asks for more
        /// (while batches come full). Two: a worker done with its share of one batch finds its share of the
        /// next waiting more often than with one (in `warden bench` the two cores were 89–92% busy against
        /// 86–88%), at the cost of a longer queue in a backlog (docs/performance.md).
        public var pipelineDepth = 2

        public init() {}
    }

    private let client: BotAPIClient
    private let store: BotStateStore
    private let router: UpdateRouter
    private let options: Options
    private let logger: Logger

    public init(
        client: BotAPIClient,
        store: BotStateStore,
        router: UpdateRouter,
        options: Options,
        logger: Logger
    ) {
        self.client = client
        self.store = store
        self.router = router
        self.options = options
        self.logger = logger
    }

    public func run() async throws {
        var lease = try await waitForLease()
        defer { Task { [store] in try? await store.releaseLease() } }
        // A webhook and getUpdates exclude each other; polling means no webhook.
        try await retrying("deleteWebhook") {
            _ = try await client.deleteWebhook(dropPendingUpdates: options.dropPendingUpdates)
        }
        if options.dropPendingUpdates {
            try await retrying("clearing the update inbox") { try await store.clearInbox() }
        }
        var pipeline = PollPipeline(
            offset: try await store.loadOffset(),
            depth: options.pipelineDepth,
            ledgerHighest: lease.highestHandled
        )
        logger.info("polling", metadata: ["offset": "\(pipeline.nextOffset)", "timeout": "\(options.timeout)"])
        var failures = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                if pipeline.inboxUnread { try await takeOver(&pipeline) }
                let offset = pipeline.nextOffset
                let batch = try await cancelWhenGracefulShutdown {
                    try await self.client.fetchUpdates(
                        offset: offset == 0 ? nil : offset,
                        limit: self.options.limit,
                        timeout: self.options.timeout,
                        allowedUpdates: AllowedUpdates.all
                    )
                }
                failures = 0
                // A full batch means more are waiting: fetch them while the workers handle this one, keeping it in
                // the inbox meanwhile. Otherwise finish first, so the next getUpdates confirms only what was
                // handled and nothing needs keeping: at a light load, the fetch does not take a core from the
                // workers.
                let more = batch.updates.count >= options.limit
                if !batch.updates.isEmpty {
                    // After a pause longer than the lease, another process may be handling these very updates:
                    // make sure of the lease first, and leave them to the other process if it has it.
                    if lease.mayHaveLapsed(options), try await !renew(&lease, &pipeline) {
                        try await yieldLease(&lease, &pipeline)
                        continue
                    }
                    pipeline.hand(batch, to: router)
                }
                if !more { await pipeline.drain() }
                // One round trip: the lease renewed, the batch kept until it is handled if the next getUpdates
                // confirms it first, the offset stored past the batches handled since the last one.
                guard try await renew(&lease, &pipeline, keeping: more ? batch : nil) else {
                    try await yieldLease(&lease, &pipeline)
                    continue
                }
                pipeline.advance(past: batch)
                await pipeline.waitForRoom()
            } catch is CancellationError {
                break
            } catch let error as BotAPIError where error.kind == .cancelled {
                // A getUpdates cut short by shutdown: nothing failed, so nothing to back off from.
                break
            } catch {
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                failures += 1
                let delay = Self.backoff(after: failures, error: error)
                logger.warning(
                    "getUpdates failed; retrying",
                    metadata: ["error": "\(error)", "retry_in": "\(delay)"]
                )
                try? await Task.sleep(for: delay)
            }
        }
        await pipeline.drain()
        if (try? await renew(&lease, &pipeline)) == nil {
            logger.warning("offset not stored at shutdown: the next start looks the last batches up in the ledger")
        }
        logger.info("polling stopped", metadata: ["offset": "\(pipeline.nextOffset)"])
    }

    /// 429 waits what Telegram says; other failures back off from 1 s, doubling to 30 s.
    static func backoff(after failures: Int, error: any Error) -> Duration {
        if let error = error as? BotAPIError, let retryAfter = error.retryAfter { return .seconds(retryAfter) }
        return .seconds(min(30, 1 << min(failures - 1, 5)))
    }

    /// What the poller knows of its lease: when it last renewed it, and the highest id in the ledger when it
    /// took it. While it holds the lease no other process handles updates, so those above that id were
    /// handled by none and their batches skip the ledger's lookup (`UpdateLedger.handled`).
    private struct Lease {
        var renewedAt: ContinuousClock.Instant
        let highestHandled: Int64?

        /// Whether another process may have taken the lease since it was renewed (with a margin for clocks).
        func mayHaveLapsed(_ options: Options) -> Bool {
            ContinuousClock.now - renewedAt >= .milliseconds(options.leaseMilliseconds * 4 / 5)
        }
    }

    /// Renews the lease and stores the pipeline's progress (and the batch just fetched, if any) in one round
    /// trip; false when another process holds the lease. A lease found free is taken again with the ledger's
    /// highest id read anew, since another process may have polled while it was free (and left batches in the
    /// inbox).
    private func renew(
        _ lease: inout Lease,
        _ pipeline: inout PollPipeline,
        keeping batch: UpdateBatch? = nil
    ) async throws -> Bool {
        let asked = ContinuousClock.now
        let progress = pipeline.progress
        let outcome = try await store.lease(
            ttlMilliseconds: options.leaseMilliseconds,
            storingOffset: progress.offset,
            keeping: batch,
            forgetting: progress.fields
        )
        pipeline.stored(progress)
        switch outcome {
        case .renewed:
            lease.renewedAt = asked
        case .taken:
            lease = await takenLease(at: asked)
            pipeline.leaseTaken(ledgerHighest: lease.highestHandled)
        case .refused:
            return false
        }
        return true
    }

    /// Another process holds the lease: finishes what was handed out, stores that (the script stores progress
    /// without the lease), and waits for the lease.
    private func yieldLease(_ lease: inout Lease, _ pipeline: inout PollPipeline) async throws {
        logger.warning("poller lease lost to another process; waiting for it")
        await pipeline.drain()
        _ = try await renew(&lease, &pipeline)
        lease = try await waitForLease()
        pipeline.leaseTaken(ledgerHighest: lease.highestHandled)
    }

    /// Hands out first what the inbox holds that this process did not hand out itself: batches a process
    /// fetched (and so confirmed the ones before them to Telegram) and did not finish handling. The ledger
    /// skips the updates of them that were handled.
    private func takeOver(_ pipeline: inout PollPipeline) async throws {
        let ours = pipeline.fields
        let left = try await store.inbox().filter { !ours.contains($0.field) }
        pipeline.inboxUnread = false
        guard !left.isEmpty else { return }
        logger.notice(
            "handling the batches a previous poller fetched and did not finish",
            metadata: ["batches": "\(left.count)", "updates": "\(left.map(\.updates.updates.count).reduce(0, +))"]
        )
        for batch in left {
            pipeline.hand(batch.updates, to: router)
            pipeline.advance(past: batch.updates)
        }
    }

    /// A lease just taken: what another process handled before is in the ledger by now (or its batch was not
    /// recorded and must be handled again), so the ledger's highest id is read anew. Unreadable: nil, and
    /// every id is looked up.
    private func takenLease(at asked: ContinuousClock.Instant) async -> Lease {
        Lease(renewedAt: asked, highestHandled: try? await store.highestHandledUpdate())
    }

    private func waitForLease() async throws -> Lease {
        var announced = false
        while true {
            let asked = ContinuousClock.now
            if try await store.acquireLease(ttlMilliseconds: options.leaseMilliseconds) {
                return await takenLease(at: asked)
            }
            if !announced {
                logger.warning("another poller holds the lease for this bot; waiting")
                announced = true
            }
            try await Task.sleep(for: .seconds(5))
        }
    }

    private func retrying(_ what: String, _ body: () async throws -> Void) async throws {
        var failures = 0
        while true {
            do {
                return try await body()
            } catch {
                failures += 1
                if Task.isCancelled || Task.isShuttingDownGracefully { throw CancellationError() }
                let delay = Self.backoff(after: failures, error: error)
                logger.warning("\(what) failed; retrying", metadata: ["error": "\(error)", "retry_in": "\(delay)"])
                try await Task.sleep(for: delay)
            }
        }
    }
}
