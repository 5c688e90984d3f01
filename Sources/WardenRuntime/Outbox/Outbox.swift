import Foundation
public import Logging
public import ServiceLifecycle
import Synchronization
import WardenJSON

/// Every Bot API action from plugins goes through here, on its way to Telegram
/// within Telegram's limits (see `OutboxQueue` for the rules).
///
/// `submit` is called from worker threads and returns at once; one loop owns
/// the queue and sends requests concurrently. On graceful shutdown it keeps
/// sending until the queue is empty or `flushDeadline` has passed.
public final class Outbox: ActionSink, Service {
    enum Event: Sendable {
        case submit(BotAction, (@Sendable (ActionResult) -> Void)?)
        case completed(OutboxRequest, OutboxCallResult)
        case tick
        case idleWaiter(CheckedContinuation<Void, Never>)
        case shutdown
    }

    private let events: AsyncStream<Event>
    private let input: AsyncStream<Event>.Continuation
    private let transport: any OutboxTransport
    private let configuration: OutboxConfiguration
    private let logger: Logger
    private let statistics = Mutex(OutboxStats())
    private let migrationHandler = Mutex<(@Sendable (Int64, Int64) -> Void)?>(nil)
    private let journal = Mutex<(any ActionJournalStore)?>(nil)
    /// How long a graceful shutdown may keep sending.
    private let flushDeadline: Duration
    private let metrics: WardenMetrics?

    public init(
        transport: any OutboxTransport,
        configuration: OutboxConfiguration = .init(),
        flushDeadline: Duration = .seconds(10),
        metrics: WardenMetrics? = nil,
        logger: Logger
    ) {
        self.metrics = metrics
        (events, input) = AsyncStream.makeStream(of: Event.self)
        self.transport = transport
        self.configuration = configuration
        self.flushDeadline = flushDeadline
        self.logger = logger
    }

    public func submit(_ action: BotAction, completion: (@Sendable (ActionResult) -> Void)?) {
        input.yield(.submit(action, completion))
    }

    /// Called when Telegram says a group became a supergroup (old id, new id).
    public func onMigration(_ handler: @escaping @Sendable (Int64, Int64) -> Void) {
        migrationHandler.withLock { $0 = handler }
    }

    /// The result of a request another process took from the journal first (and sends itself).
    static let claimedElsewhere = OutboxCallResult.rejected(code: 409, description: "sent by another process")

    /// Where journaled actions are crossed out just before their first attempt.
    public func useJournal(_ store: any ActionJournalStore) {
        journal.withLock { $0 = store }
    }

    public var stats: OutboxStats { statistics.withLock { $0 } }

    /// Returns once nothing is queued or in flight.
    public func waitUntilIdle() async {
        await withCheckedContinuation { input.yield(.idleWaiter($0)) }
    }

    public func run() async {
        await withGracefulShutdownHandler {
            await loop()
        } onGracefulShutdown: { [input] in
            input.yield(.shutdown)
        }
    }

    private func loop() async {
        let clock = ContinuousClock()
        let start = clock.now
        let now = { (clock.now - start).seconds }
        var queue = OutboxQueue(configuration: configuration, now: now())
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
        var wakeAt: Double?
        var shutdownBy: Double?
        var loggedRejections: Set<String> = []
        await withDiscardingTaskGroup { group in
            for await event in events {
                switch event {
                case .submit(let action, let completion):
                    queue.enqueue(action, completion: completion, now: now())
                    statistics.withLock { $0.actions += 1 }
                case .completed(let request, let result):
                    let resolution = queue.complete(request, Self.outcome(result), now: now())
                    record(request, result, loggedRejections: &loggedRejections)
                    for delivery in resolution.deliveries {
                        for completion in delivery.completions { completion(delivery.result) }
                    }
                    if let migration = resolution.migration {
                        migrationHandler.withLock { $0 }?(migration.from, migration.to)
                    }
                case .tick:
                    wakeAt = nil
                case .idleWaiter(let waiter):
                    idleWaiters.append(waiter)
                case .shutdown:
                    shutdownBy = now() + Double(flushDeadline.components.seconds)
                    group.addTask { [input, flushDeadline] in
                        try? await Task.sleep(for: flushDeadline)
                        input.yield(.tick)
                    }
                }
                let journal = self.journal.withLock { $0 }
                if let journal, !queue.mergedJournalFields.isEmpty {
                    group.addTask { [fields = queue.mergedJournalFields] in
                        _ = await journal.claimWaitingForRedis(fields)
                    }
                    queue.mergedJournalFields.removeAll()
                }
                while var request = queue.nextRequest(now: now()) {
                    statistics.withLock {
                        $0.requests += 1
                        if request.items.count > 1 { $0.mergedDeletions += request.items.count }
                    }
                    // Out of the journal before each attempt: a restart must never send what Telegram may have done.
                    let itemFields = request.items.map(\.action.journalField)
                    let fields = itemFields.compactMap { $0 }
                    for index in request.items.indices { request.items[index].action.journalField = nil }
                    group.addTask { [transport, input, request] in
                        var claimed: Set<String> = []
                        if let journal, !fields.isEmpty {
                            claimed = await journal.claimWaitingForRedis(fields)
                            if claimed.isEmpty && fields.count == request.items.count {
                                input.yield(.completed(request, Self.claimedElsewhere))
                                return
                            }
                        }
                        let result = await transport.perform(request.method, request.params)
                        var answered = request
                        if case .rateLimited = result, let journal, !claimed.isEmpty {
                            answered.items = await Self.giveBack(request.items, itemFields, claimed, to: journal)
                        }
                        input.yield(.completed(answered, result))
                    }
                }
                let queued = queue.queuedCount
                let isIdle = queue.isIdle
                statistics.withLock {
                    $0.queued = queued
                    $0.inFlight = queue.inFlight
                }
                metrics?.outboxQueued(queued)
                if isIdle {
                    for waiter in idleWaiters { waiter.resume() }
                    idleWaiters.removeAll()
                }
                if let shutdownBy, isIdle || now() >= shutdownBy {
                    if !isIdle {
                        // Actions of handled updates stay in the journal; the next start sends them.
                        logger.warning(
                            "outbox not flushed before the deadline; journaled actions are sent at the next start",
                            metadata: ["queued": "\(queued)"]
                        )
                    }
                    for waiter in idleWaiters { waiter.resume() }
                    input.finish()
                    group.cancelAll()
                    break
                }
                if let next = queue.nextWakeup(now: now()), next > now(), wakeAt.map({ next < $0 }) ?? true {
                    wakeAt = next
                    let delay = next - now()
                    group.addTask { [input] in
                        try? await Task.sleep(for: .milliseconds(Int64((delay * 1000).rounded(.up))))
                        input.yield(.tick)
                    }
                }
            }
        }
    }

    /// A 429 means Telegram did not carry the request out: its claimed journal entries go back while it waits
    /// for its retry (which claims them again), so a kill in a 429 storm loses none of it. A 5xx or a time-out
    /// may have been carried out, and keeps its entries out: sent late or lost, never twice.
    /// Returns the items, with their journal fields again where the entries are back.
    static func giveBack(
        _ items: [OutboxItem],
        _ fields: [String?],
        _ claimed: Set<String>,
        to journal: any ActionJournalStore
    ) async -> [OutboxItem] {
        let now = Date().timeIntervalSince1970
        let entries = zip(items, fields).compactMap { item, field -> (field: String, value: String)? in
            guard let field, claimed.contains(field) else { return nil }
            return (field, ActionJournal.encode(item.action, journaledAt: now))
        }
        guard await journal.returnJournaled(entries) else { return items }
        var items = items
        for index in items.indices where fields[index].map(claimed.contains) == true {
            items[index].action.journalField = fields[index]
        }
        return items
    }

    static func outcome(_ result: OutboxCallResult) -> OutboxQueue.Outcome {
        switch result {
        case .success(let value): .success(value)
        case .rateLimited(let seconds): .rateLimited(retryAfter: seconds)
        case .transient(let text): .transient(text)
        case .migrated(let chat): .migrated(to: chat)
        case .rejected(let code, let text): .rejected(code: code, description: text)
        }
    }

    /// Counts a result; logs a refusal once per chat and kind, so a missing right does not flood the log.
    private func record(_ request: OutboxRequest, _ result: OutboxCallResult, loggedRejections: inout Set<String>) {
        let outcome: String
        switch result {
        case .success: outcome = "ok"
        case .rateLimited: outcome = "rate_limited"
        case .transient: outcome = "retry"
        case .migrated: outcome = "migrated"
        case .rejected: outcome = "rejected"
        }
        metrics?.action(request.method, result: outcome, count: request.items.count)
        statistics.withLock { stats in
            switch result {
            case .rateLimited: stats.rateLimited += 1
            case .transient: stats.transientFailures += 1
            case .rejected: stats.rejected += request.items.count
            default: break
            }
        }
        switch result {
        case .rateLimited(let seconds):
            logger.info("telegram rate limit", metadata: ["method": "\(request.method)", "retry_after": "\(seconds)"])
        case .transient(let text):
            logger.warning(
                "bot api call failed, will retry",
                metadata: ["method": "\(request.method)", "error": "\(text)"]
            )
        case .rejected(let code, let text):
            let key = "\(request.target)|\(request.method)|\(text)"
            guard loggedRejections.insert(key).inserted else { return }
            logger.warning(
                "bot api refused an action",
                metadata: [
                    "method": "\(request.method)", "chat": "\(request.target)", "error_code": "\(code)",
                    "error": "\(text)", "plugin.name": "\(request.items.first?.action.plugin ?? "?")",
                ]
            )
        default: break
        }
    }
}
