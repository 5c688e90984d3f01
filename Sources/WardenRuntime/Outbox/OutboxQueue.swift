import HeapModule
import WardenJSON

/// The outbox's decisions, without I/O: which request goes next, when, and what
/// a result means for the actions behind it. Time is passed in (seconds on a
/// monotonic clock), so every rule is unit-tested without sockets or sleeps.
///
/// Rules: moderation (deletions, bans, restrictions, callback answers) before
/// other calls before messages; messages keep Telegram's per-chat and per-group
/// limits and go one at a time per chat, in order; every request takes a token
/// from the global bucket; deletions in one chat merge into `deleteMessages`;
/// identical bans of one user in one chat are sent once.
struct OutboxQueue {
    /// What became of a request, as the queue needs to know it.
    enum Outcome: Sendable {
        case success(JSONValue)
        /// 429: wait `retryAfter` seconds, then send again.
        case rateLimited(retryAfter: Double)
        /// 5xx, network error, time-out: back off and retry.
        case transient(String)
        /// The group became a supergroup: send again there.
        case migrated(to: Int64)
        /// Any other refusal: the plugin's callback gets it.
        case rejected(code: Int, description: String)
    }

    /// Results to hand to completions, and chat migrations to apply.
    struct Resolution {
        var deliveries: [(completions: [@Sendable (ActionResult) -> Void], result: ActionResult)] = []
        var migration: (from: Int64, to: Int64)?
    }

    private struct Lane {
        var queues: [[OutboxItem]] = [[], [], []]  // by OutboxPriority
        var messageInFlight = false
        /// Users with a membership change (`OutboxItem.memberKey`) in flight.
        var membersInFlight: Set<String> = []
        var inFlight = 0
        var pausedUntil: Double = 0
        var messages: RateBucket
        var groupMessages: RateBucket?
        /// When its first item may go, as last worked out (`reschedule`); infinity: never by itself.
        var readyAt = Double.infinity

        var isEmpty: Bool { queues.allSatisfy(\.isEmpty) }
    }

    let configuration: OutboxConfiguration
    private var lanes: [OutboxTarget: Lane] = [:]
    /// Targets with queued or in-flight work, in round-robin order.
    private var order: [OutboxTarget] = []
    private var ordered: Set<OutboxTarget> = []
    private var cursor = 0
    private var global: RateBucket
    private var globalPausedUntil: Double = 0
    /// Lanes' `readyAt`, soonest first. An entry whose lane has since moved on is stale and skipped when it
    /// surfaces, so a change costs one insert instead of a walk over every lane.
    private var wakeups = Heap<Wakeup>()

    private struct Wakeup: Comparable {
        var time: Double
        var target: OutboxTarget
        static func < (left: Wakeup, right: Wakeup) -> Bool { left.time < right.time }
    }
    private(set) var inFlight = 0
    private var nextRequestID: UInt64 = 1
    /// Ban-like actions in flight, by dedup key: later identical ones wait for the same result.
    private var inFlightDedup: [String: UInt64] = [:]
    private var attached: [UInt64: [@Sendable (ActionResult) -> Void]] = [:]

    init(configuration: OutboxConfiguration, now: Double) {
        self.configuration = configuration
        global = RateBucket(rate: configuration.globalPerSecond, burst: configuration.globalBurst, now: now)
    }

    /// Actions waiting (not in flight); kept as they come and go, as walking every lane each pass cost
    /// more than the rest of the outbox's work with many chats.
    private(set) var queuedCount = 0

    /// The same, counted the slow way: for the debug checks.
    private var walkedQueuedCount: Int { lanes.values.reduce(0) { $0 + $1.queues.reduce(0) { $0 + $1.count } } }

    var isIdle: Bool { inFlight == 0 && queuedCount == 0 }

    /// Journal entries of actions merged into an identical one: they will never be tried on their own.
    var mergedJournalFields: [String] = []

    mutating func enqueue(_ action: BotAction, completion: (@Sendable (ActionResult) -> Void)?, now: Double) {
        let item = OutboxItem(
            action: action,
            completions: completion.map { [$0] } ?? [],
            notBefore: now
        )
        enqueue(item, now: now)
    }

    private mutating func enqueue(_ item: OutboxItem, now: Double) {
        var item = item
        if let key = item.dedupKey {
            if let request = inFlightDedup[key], !hasQueuedChange(for: item) {
                attached[request, default: []] += item.completions
                if let field = item.action.journalField { mergedJournalFields.append(field) }
                return
            }
            if attach(item.completions, toQueued: key, target: item.target) {
                if let field = item.action.journalField { mergedJournalFields.append(field) }
                return
            }
        }
        let target = item.target
        var lane = lanes[target] ?? newLane(for: target, now: now)
        let queue = item.priority.rawValue
        if Self.isDeletion(item.action.method), item.attempts == 0,
            !lane.queues[queue].contains(where: { Self.isDeletion($0.action.method) })
        {
            item.notBefore = now + configuration.deleteBatchWindow  // let the rest of a burst join it
        }
        lane.queues[queue].append(item)
        queuedCount += 1
        lanes[target] = lane
        if ordered.insert(target).inserted { order.append(target) }
        reschedule(target)
    }

    private func newLane(for target: OutboxTarget, now: Double) -> Lane {
        Lane(
            messages: RateBucket(rate: configuration.chatPerSecond, burst: configuration.chatBurst, now: now),
            groupMessages: target.isGroup
                ? RateBucket(rate: configuration.groupPerMinute / 60, burst: configuration.groupBurst, now: now)
                : nil
        )
    }

    /// Joins an identical queued action instead of queueing a second one, if it is the user's last queued
    /// change (mute, unmute, mute must stay three calls).
    private mutating func attach(
        _ completions: [@Sendable (ActionResult) -> Void],
        toQueued key: String,
        target: OutboxTarget
    ) -> Bool {
        guard var lane = lanes[target] else { return false }
        let priority = OutboxPriority.moderation.rawValue
        let queue = lane.queues[priority]
        guard let index = queue.lastIndex(where: { $0.dedupKey == key }),
            !queue[(index + 1)...].contains(where: { $0.memberKey == queue[index].memberKey })
        else { return false }
        lane.queues[priority][index].completions += completions
        lanes[target] = lane
        return true
    }

    /// Whether a membership change of the item's user is queued (not in flight) in its lane.
    private func hasQueuedChange(for item: OutboxItem) -> Bool {
        guard let member = item.memberKey, let lane = lanes[item.target] else { return false }
        return lane.queues[OutboxPriority.moderation.rawValue].contains { $0.memberKey == member }
    }

    static func isDeletion(_ method: String) -> Bool { method == "deleteMessage" || method == "deleteMessages" }

    /// The next request to send now, if any may go.
    mutating func nextRequest(now: Double) -> OutboxRequest? {
        guard inFlight < configuration.maxInFlight, now >= globalPausedUntil, global.hasToken(at: now),
            !order.isEmpty
        else { return nil }
        var best: (target: OutboxTarget, priority: Int)?
        for step in 0..<order.count {
            let target = order[(cursor + step) % order.count]
            guard let lane = lanes[target], now >= lane.pausedUntil else { continue }
            for priority in lane.queues.indices where best == nil || priority < best!.priority {
                guard let head = lane.queues[priority].first, head.notBefore <= now else { continue }
                if let member = head.memberKey, lane.membersInFlight.contains(member) { continue }
                if priority == OutboxPriority.chatty.rawValue {
                    guard !lane.messageInFlight, lane.messages.hasToken(at: now),
                        lane.groupMessages?.hasToken(at: now) ?? true
                    else { continue }
                }
                best = (target, priority)
                break
            }
            if best?.priority == 0 { break }
        }
        guard let best, var lane = lanes[best.target] else { return nil }
        var items = [lane.queues[best.priority].removeFirst()]
        var request = OutboxRequest(
            id: nextRequestID,
            method: items[0].action.method,
            params: items[0].action.params,
            items: [],
            target: best.target
        )
        nextRequestID += 1
        if Self.isDeletion(request.method) {
            mergeDeletions(into: &request, first: &items, lane: &lane)
        }
        request.items = items
        queuedCount -= items.count
        global.take(at: now)
        if best.priority == OutboxPriority.chatty.rawValue {
            lane.messages.take(at: now)
            lane.groupMessages?.take(at: now)
            lane.messageInFlight = true
        }
        if let member = items[0].memberKey { lane.membersInFlight.insert(member) }
        lane.inFlight += 1
        inFlight += 1
        for item in items { if let key = item.dedupKey { inFlightDedup[key] = request.id } }
        lanes[best.target] = lane
        reschedule(best.target)
        assert(queuedCount == walkedQueuedCount)
        if let position = order.firstIndex(of: best.target) { cursor = position + 1 }
        return request
    }

    /// Pulls every queued deletion of the lane into one `deleteMessages` (at most 100 ids).
    private func mergeDeletions(into request: inout OutboxRequest, first items: inout [OutboxItem], lane: inout Lane) {
        var ids = Self.messageIDs(of: items[0].action)
        let queue = OutboxPriority.moderation.rawValue
        var remaining: [OutboxItem] = []
        for item in lane.queues[queue] {
            let more = Self.messageIDs(of: item.action)
            if Self.isDeletion(item.action.method), !more.isEmpty, ids.count + more.count <= 100 {
                ids += more
                items.append(item)
            } else {
                remaining.append(item)
            }
        }
        lane.queues[queue] = remaining
        guard items.count > 1, let chat = request.params["chat_id"] else { return }
        request.method = "deleteMessages"
        request.params = ["chat_id": chat, "message_ids": .array(ids)]
    }

    static func messageIDs(of action: BotAction) -> [JSONValue] {
        if let id = action.params["message_id"] { return [id] }
        return action.params["message_ids"]?.array ?? []
    }

    /// When something queued may become sendable (nil: nothing queued).
    mutating func nextWakeup(now: Double) -> Double? {
        while let top = wakeups.min, lanes[top.target]?.readyAt != top.time { _ = wakeups.popMin() }
        guard let earliest = wakeups.min?.time else {
            assert(walkedNextWakeup(now: now) == nil)
            return nil
        }
        let wakeup = max(earliest, globalPausedUntil, global.nextToken(after: now))
        assert(abs(wakeup - (walkedNextWakeup(now: now) ?? .infinity)) < 1e-6)
        return wakeup
    }

    /// Works out a lane's `readyAt` again after it changed, and files it.
    private mutating func reschedule(_ target: OutboxTarget) {
        guard var lane = lanes[target] else { return }
        let time = Self.readyAt(of: lane)
        guard time != lane.readyAt else { return }
        lane.readyAt = time
        lanes[target] = lane
        if time.isFinite { wakeups.insert(Wakeup(time: time, target: target)) }
        if wakeups.count > 2 * lanes.count + 64 {
            wakeups = Heap(
                lanes.compactMap { $0.value.readyAt.isFinite ? Wakeup(time: $0.value.readyAt, target: $0.key) : nil }
            )
        }
    }

    /// When the lane's first sendable item may go (in the past when it may now), leaving the global bucket
    /// aside; infinity when only a completion can free it.
    private static func readyAt(of lane: Lane) -> Double {
        var earliest = Double.infinity
        for priority in lane.queues.indices {
            guard let head = lane.queues[priority].first else { continue }
            var ready = max(head.notBefore, lane.pausedUntil)
            if priority == OutboxPriority.chatty.rawValue {
                if lane.messageInFlight { continue }  // its completion will wake us
                ready = max(ready, lane.messages.tokenTime, lane.groupMessages?.tokenTime ?? ready)
            }
            earliest = min(earliest, ready)
        }
        return earliest
    }

    /// `nextWakeup` the slow way, walking every lane: the debug builds check the heap against it.
    private func walkedNextWakeup(now: Double) -> Double? {
        let earliest = lanes.values.reduce(Double.infinity) { min($0, Self.readyAt(of: $1)) }
        guard earliest.isFinite else { return nil }
        return max(earliest, globalPausedUntil, global.nextToken(after: now))
    }

    // MARK: Results

    /// Takes the result of a request back: delivers, retries or re-routes its actions.
    mutating func complete(_ request: OutboxRequest, _ outcome: Outcome, now: Double) -> Resolution {
        inFlight -= 1
        if var lane = lanes[request.target] {
            lane.inFlight -= 1
            if OutboxPriority.isMessageMethod(request.method) { lane.messageInFlight = false }
            for item in request.items { if let member = item.memberKey { lane.membersInFlight.remove(member) } }
            lanes[request.target] = lane
        }
        for item in request.items { if let key = item.dedupKey { inFlightDedup[key] = nil } }
        var items = request.items
        if let waiting = attached.removeValue(forKey: request.id), !items.isEmpty { items[0].completions += waiting }
        var resolution = Resolution()
        switch outcome {
        case .success(let result):
            let each = items.count > 1 ? JSONValue.bool(true) : result
            for item in items { resolution.deliveries.append((item.completions, .success(each))) }
        case .rateLimited(let retryAfter):
            if case .none = request.target {
                globalPausedUntil = max(globalPausedUntil, now + retryAfter)
            } else {
                lanes[request.target]?.pausedUntil = now + retryAfter
            }
            requeueAtFront(items)
        case .transient(let description):
            var retry: [OutboxItem] = []
            for var item in items {
                item.attempts += 1
                if item.attempts >= configuration.maxAttempts {
                    let failure = ActionFailure(
                        errorCode: 502,
                        description: "gave up after \(item.attempts) attempts: \(description)"
                    )
                    resolution.deliveries.append((item.completions, .failure(failure)))
                } else {
                    let factor = Double(1 << min(item.attempts - 1, 30))
                    item.notBefore = now + min(configuration.maxBackoff, configuration.initialBackoff * factor)
                    retry.append(item)
                }
            }
            requeueAtFront(retry)
        case .migrated(let newChatID):
            if case .chat(let old) = request.target { resolution.migration = (old, newChatID) }
            for var item in items {
                item.action.params["chat_id"] = .int(newChatID)
                item.notBefore = now
                enqueue(item, now: now)
            }
        case .rejected(let code, let description):
            let failure = ActionResult.failure(ActionFailure(errorCode: code, description: description))
            for item in items { resolution.deliveries.append((item.completions, failure)) }
        }
        resolution.deliveries.removeAll { $0.completions.isEmpty }
        reschedule(request.target)
        dropLaneIfIdle(request.target, now: now)
        assert(queuedCount == walkedQueuedCount)
        return resolution
    }

    /// Puts items back at the front of their queues, in their order.
    private mutating func requeueAtFront(_ items: [OutboxItem]) {
        for item in items.reversed() {
            let target = item.target
            guard var lane = lanes[target] else {
                enqueue(item, now: item.notBefore)
                continue
            }
            lane.queues[item.priority.rawValue].insert(item, at: 0)
            queuedCount += 1
            lanes[target] = lane
            if ordered.insert(target).inserted { order.append(target) }
            reschedule(target)
        }
    }

    /// Forgets a chat with nothing queued or in flight, once its pause (if any) is over.
    private mutating func dropLaneIfIdle(_ target: OutboxTarget, now: Double) {
        guard let lane = lanes[target], lane.isEmpty, lane.inFlight == 0, now >= lane.pausedUntil else { return }
        lanes[target] = nil
        if ordered.remove(target) != nil, let index = order.firstIndex(of: target) {
            order.remove(at: index)
            if cursor > index { cursor -= 1 }
        }
    }
}
