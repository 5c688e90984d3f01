public import BotAPI
public import Logging
public import ServiceLifecycle
import WardenJSON

/// Long polling: `getUpdates` in a loop, each batch dispatched before the
/// offset moves past it (at least once: a restart skips nothing), with a Redis
/// lease so two pollers on one token never run together (no 409 Conflict).
public final class LongPoller: Service {
    public struct Options: Sendable {
        public var timeout = 30
        public var limit = 100
        public var dropPendingUpdates = false
        /// How long the lease lasts without renewal; renewed after every poll. Kept short (one poll
        /// and a margin) so a replacement for a crashed poller waits seconds, not minutes.
        public var leaseMilliseconds = 40_000

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
        var offset = try await store.loadOffset()
        logger.info("polling", metadata: ["offset": "\(offset)", "timeout": "\(options.timeout)"])
        var failures = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let from = offset == 0 ? nil : offset
                let updates = try await cancelWhenGracefulShutdown {
                    try await self.client.getUpdates(
                        offset: from,
                        limit: self.options.limit,
                        timeout: self.options.timeout,
                        allowedUpdates: AllowedUpdates.all
                    )
                }
                failures = 0
                var handledUpTo: Int64?
                if let last = updates.last {
                    // After a pause longer than the lease, another process may be handling these very updates:
                    // make sure of the lease first, and leave them to the other process if it has it.
                    if lease.mayHaveLapsed(options), try await !renew(&lease) {
                        lease = try await waitForLease()
                        continue
                    }
                    // The batch's actions are journaled by now: a crash after this resends them, not loses them.
                    _ = await router.dispatch(updates.map(\.raw), freshAbove: lease.highestHandled)
                    offset = last.updateID < .max ? last.updateID + 1 : .max  // a hostile id must not trap
                    handledUpTo = offset
                }
                guard try await renew(&lease, storingOffset: handledUpTo) else {
                    lease = try await waitForLease()
                    continue
                }
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
        logger.info("polling stopped", metadata: ["offset": "\(offset)"])
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

    /// Renews the lease, storing the offset if given; false, after a warning, when another process holds
    /// it. A lease found free is taken again with the ledger's highest id read anew, since another process
    /// may have polled while it was free.
    private func renew(_ lease: inout Lease, storingOffset offset: Int64? = nil) async throws -> Bool {
        let asked = ContinuousClock.now
        switch try await store.lease(ttlMilliseconds: options.leaseMilliseconds, storingOffset: offset) {
        case .renewed:
            lease.renewedAt = asked
        case .taken:
            lease = await takenLease(at: asked)
        case .refused:
            logger.warning("poller lease lost to another process; waiting for it")
            return false
        }
        return true
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
