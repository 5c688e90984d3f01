import Synchronization
import Testing
import WardenJSON

@testable import WardenRuntime

/// The outbox's rules on a virtual clock: no sockets, no sleeps.
@Suite struct OutboxQueueTests {
    static let group: Int64 = -1_001_000
    final class Results: Sendable {
        let items = Mutex<[ActionResult]>([])
        var all: [ActionResult] { items.withLock { $0 } }
        var record: @Sendable (ActionResult) -> Void { { result in self.items.withLock { $0.append(result) } } }
    }

    static func action(_ method: String, _ params: [String: JSONValue], id: UInt64 = 0) -> BotAction {
        BotAction(id: id, method: method, params: params, plugin: "test", updateID: nil)
    }

    static func send(_ chat: Int64, _ text: String) -> BotAction {
        action("sendMessage", ["chat_id": .int(chat), "text": .string(text)])
    }
    static func delete(_ chat: Int64, _ message: Int64) -> BotAction {
        action("deleteMessage", ["chat_id": .int(chat), "message_id": .int(message)])
    }

    /// Hands every result of a resolution to its completions, as the outbox does.
    static func deliver(_ resolution: OutboxQueue.Resolution) {
        for delivery in resolution.deliveries {
            for completion in delivery.completions { completion(delivery.result) }
        }
    }

    /// Runs the queue on a virtual clock, answering every request with `answer`; returns (time, request) pairs.
    static func drive(
        _ queue: inout OutboxQueue,
        until end: Double,
        step: Double = 0.01,
        answer: (OutboxRequest) -> OutboxQueue.Outcome = { _ in .success(.bool(true)) }
    ) -> [(time: Double, request: OutboxRequest)] {
        var sent: [(Double, OutboxRequest)] = []
        var now = 0.0
        while now <= end {
            while let request = queue.nextRequest(now: now) {
                sent.append((now, request))
                deliver(queue.complete(request, answer(request), now: now))
            }
            now += step
        }
        return sent
    }

    @Test func moderationGoesBeforeReplies() {
        var queue = OutboxQueue(configuration: .init(), now: 0)
        queue.enqueue(Self.send(Self.group, "hi"), completion: nil, now: 0)
        queue.enqueue(
            Self.action("banChatMember", ["chat_id": .int(Self.group), "user_id": 5]),
            completion: nil,
            now: 0
        )
        #expect(queue.nextRequest(now: 0)?.method == "banChatMember")
        #expect(queue.nextRequest(now: 0)?.method == "sendMessage")
    }

    @Test func messagesToOneChatStayWithinOnePerSecondPlusBurst() {
        var queue = OutboxQueue(configuration: .init(), now: 0)
        for index in 0..<20 { queue.enqueue(Self.send(42, "m\(index)"), completion: nil, now: 0) }
        let sent = Self.drive(&queue, until: 10)
        for start in stride(from: 0.0, through: 9.0, by: 0.05) {
            let inWindow = sent.filter { $0.time >= start && $0.time < start + 1 }.count
            #expect(inWindow <= 3, "window at \(start)")
        }
        // In order.
        #expect(sent.map { $0.request.params["text"]?.string ?? "" } == (0..<sent.count).map { "m\($0)" })
    }

    @Test func messagesToOneGroupStayWithinTwentyPerMinute() {
        var queue = OutboxQueue(configuration: .init(), now: 0)
        for index in 0..<60 { queue.enqueue(Self.send(Self.group, "m\(index)"), completion: nil, now: 0) }
        let sent = Self.drive(&queue, until: 180, step: 0.1)
        for start in stride(from: 0.0, through: 120.0, by: 1) {
            #expect(sent.filter { $0.time >= start && $0.time < start + 60 }.count <= 20, "window at \(start)")
        }
        #expect(sent.count >= 40)
    }

    @Test func allRequestsStayWithinThirtyPerSecond() {
        var queue = OutboxQueue(configuration: .init(), now: 0)
        for chat in 1...200 { queue.enqueue(Self.send(Int64(chat), "hi"), completion: nil, now: 0) }
        let sent = Self.drive(&queue, until: 10)
        for start in stride(from: 0.0, through: 9.0, by: 0.05) {
            #expect(sent.filter { $0.time >= start && $0.time < start + 1 }.count <= 30)
        }
        #expect(sent.count == 200)
    }

    @Test func deletionsInOneChatMergeIntoDeleteMessages() {
        var queue = OutboxQueue(configuration: .init(), now: 0)
        let results = Results()
        for message in 1...250 {
            queue.enqueue(Self.delete(Self.group, Int64(message)), completion: results.record, now: 0)
        }
        queue.enqueue(Self.delete(-5, 1), completion: results.record, now: 0)
        #expect(queue.nextRequest(now: 0) == nil)  // the batching window is still open
        let sent = Self.drive(&queue, until: 1)
        let merged = sent.filter { $0.request.method == "deleteMessages" }
        #expect(merged.map { $0.request.params["message_ids"]?.array?.count ?? 0 } == [100, 100, 50])
        #expect(sent.filter { $0.request.method == "deleteMessage" }.count == 1)
        #expect(results.all.count == 251)
    }

    @Test func identicalBansOfOneUserAreSentOnce() {
        var queue = OutboxQueue(configuration: .init(), now: 0)
        let results = Results()
        let ban = Self.action("banChatMember", ["chat_id": .int(Self.group), "user_id": 7])
        queue.enqueue(ban, completion: results.record, now: 0)
        queue.enqueue(ban, completion: results.record, now: 0)
        let first = queue.nextRequest(now: 0)!
        queue.enqueue(ban, completion: results.record, now: 0)  // while in flight
        #expect(queue.nextRequest(now: 0) == nil)
        Self.deliver(queue.complete(first, .success(true), now: 0))
        #expect(results.all == [.success(true), .success(true), .success(true)])
        #expect(queue.isIdle)
    }

    @Test func aUsersMembershipChangesGoOneAtATimeInOrder() {
        var queue = OutboxQueue(configuration: .init(), now: 0)
        queue.enqueue(
            Self.action("restrictChatMember", ["chat_id": .int(Self.group), "user_id": 7]),
            completion: nil,
            now: 0
        )
        queue.enqueue(
            Self.action("banChatMember", ["chat_id": .int(Self.group), "user_id": 7]),
            completion: nil,
            now: 0
        )
        queue.enqueue(
            Self.action("banChatMember", ["chat_id": .int(Self.group), "user_id": 8]),
            completion: nil,
            now: 0
        )
        let mute = queue.nextRequest(now: 0)!
        #expect(mute.method == "restrictChatMember")
        #expect(queue.nextRequest(now: 0) == nil, "the ban of user 7 waits for the mute; user 8's ban queues behind it")
        _ = queue.complete(mute, .success(true), now: 0)
        #expect(queue.nextRequest(now: 0)?.params["user_id"] == 7)
        #expect(queue.nextRequest(now: 0)?.params["user_id"] == 8)
    }

    @Test func aMuteAnUnmuteAndAMuteAgainStayThreeCalls() {
        var queue = OutboxQueue(configuration: .init(), now: 0)
        let mute = Self.action("restrictChatMember", ["chat_id": .int(Self.group), "user_id": 7, "permissions": [:]])
        let unmute = Self.action(
            "restrictChatMember",
            ["chat_id": .int(Self.group), "user_id": 7, "permissions": ["can_send_messages": true]]
        )
        for action in [mute, unmute, mute] { queue.enqueue(action, completion: nil, now: 0) }
        var sent: [OutboxRequest] = []
        while let request = queue.nextRequest(now: 0) {
            sent.append(request)
            _ = queue.complete(request, .success(true), now: 0)
        }
        #expect(sent.map { $0.params["permissions"] } == [[:], ["can_send_messages": true], [:]])
    }

    @Test func rateLimitPausesOnlyThatChatForRetryAfter() {
        var queue = OutboxQueue(configuration: .init(), now: 0)
        queue.enqueue(Self.send(1, "a"), completion: nil, now: 0)
        queue.enqueue(Self.send(2, "b"), completion: nil, now: 0)
        let first = queue.nextRequest(now: 0)!
        _ = queue.complete(first, .rateLimited(retryAfter: 5), now: 0)
        let other = queue.nextRequest(now: 0.1)
        #expect(other?.params["chat_id"] != first.params["chat_id"])
        _ = queue.complete(other!, .success(true), now: 0.1)
        #expect(queue.nextRequest(now: 4.9) == nil)
        #expect(queue.nextWakeup(now: 4.9).map { $0 >= 5 } == true)
        #expect(queue.nextRequest(now: 5.0)?.params["chat_id"] == first.params["chat_id"])
    }

    @Test func transientErrorsBackOffThenGiveUp() {
        var configuration = OutboxConfiguration()
        configuration.maxAttempts = 4
        var queue = OutboxQueue(configuration: configuration, now: 0)
        let results = Results()
        queue.enqueue(Self.action("banChatMember", ["chat_id": 1, "user_id": 2]), completion: results.record, now: 0)
        var times: [Double] = []
        var now = 0.0
        while now < 60, results.all.isEmpty {
            if let request = queue.nextRequest(now: now) {
                times.append(now)
                Self.deliver(queue.complete(request, .transient("HTTP 502"), now: now))
            }
            now += 0.01
        }
        #expect(times.count == 4)
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
        #expect(gaps.count == 3 && abs(gaps[0] - 0.5) < 0.02 && abs(gaps[1] - 1) < 0.02 && abs(gaps[2] - 2) < 0.02)
        guard case .failure(let failure) = results.all.first else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.description.contains("HTTP 502"))
    }

    @Test func refusalsReachTheCallback() {
        var queue = OutboxQueue(configuration: .init(), now: 0)
        let results = Results()
        queue.enqueue(
            Self.action("restrictChatMember", ["chat_id": 1, "user_id": 2, "permissions": [:]]),
            completion: results.record,
            now: 0
        )
        let request = queue.nextRequest(now: 0)!
        Self.deliver(
            queue.complete(
                request,
                .rejected(code: 400, description: "Bad Request: not enough rights to restrict/unrestrict chat member"),
                now: 0
            )
        )
        #expect(
            results.all == [
                .failure(
                    ActionFailure(
                        errorCode: 400,
                        description: "Bad Request: not enough rights to restrict/unrestrict chat member"
                    )
                )
            ]
        )
    }

    @Test func migratedGroupsGetTheActionAgainUnderTheNewID() {
        var queue = OutboxQueue(configuration: .init(), now: 0)
        queue.enqueue(Self.send(-5, "hello"), completion: nil, now: 0)
        let request = queue.nextRequest(now: 0)!
        let resolution = queue.complete(request, .migrated(to: -1_009), now: 0)
        #expect(resolution.migration?.from == -5 && resolution.migration?.to == -1_009)
        #expect(queue.nextRequest(now: 1)?.params["chat_id"] == .int(-1_009))
    }
}
