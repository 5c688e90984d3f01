import Foundation
import Logging
import RedisStore
import Synchronization
import Testing
import WardenJSON
import WardenTestSupport

@testable import WardenRuntime

/// An action Telegram refuses with a 429 was not carried out: its journal entry goes back while it waits for
/// the retry, so a restart in between sends it; the retry claims it again, so it is sent once.
@Suite struct RateLimitedJournalTests {
    /// Answers the first call with a 429, the next ones with success, and tells whether the action's journal
    /// entry was there when each call came in.
    final class RateLimitedOnce: OutboxTransport {
        let retryAfter: Double
        let redisURL: String
        let journalKey: String
        /// Per call: the method, and whether the journal held the entry then.
        let calls = Mutex<[(method: String, journaled: Bool)]>([])
        /// What the outbox reported to the action's callback.
        let results = Mutex<[ActionResult]>([])

        init(retryAfter: Double, redisURL: String, journalKey: String) {
            self.retryAfter = retryAfter
            self.redisURL = redisURL
            self.journalKey = journalKey
        }

        func perform(_ method: String, _ params: [String: JSONValue]) async -> OutboxCallResult {
            let journaled = (try? RedisConnection(url: redisURL).call("HEXISTS", journalKey, "9:0").int) == 1
            let count = calls.withLock {
                $0.append((method, journaled))
                return $0.count
            }
            return count == 1 ? .rateLimited(retryAfter: retryAfter) : .success(["message_id": 1])
        }
    }

    /// Journals one reply of update 9 as a worker does, and runs an outbox with the journal on `transport`.
    static func withJournaledReply(
        retryAfter: Double,
        _ body: (Outbox, BotStateStore, ActionJournal, RateLimitedOnce) async throws -> Void
    ) async throws {
        try await withRedisServer { redis in
            let store = try await BotStateStore(redisURL: redis.url, prefix: "rl:", botID: 1, logger: .init(label: "t"))
            let journal = ActionJournal(key: RuntimeKeys(prefix: "rl:").actionJournal(botID: 1))
            let (command, held) = journal.journal(
                [(9, [ActionJournalTests.held("sendMessage", ["chat_id": 5, "text": "welcome"])])],
                now: Date().timeIntervalSince1970
            )
            _ = try RedisConnection(url: redis.url).pipeline([command])
            let transport = RateLimitedOnce(retryAfter: retryAfter, redisURL: redis.url, journalKey: journal.key)
            let outbox = Outbox(transport: transport, logger: Logger(label: "t"))
            outbox.useJournal(store)
            let running = Task { await outbox.run() }
            outbox.submit(held[0].action) { result in transport.results.withLock { $0.append(result) } }
            try await body(outbox, store, journal, transport)
            running.cancel()
            await running.value
            await store.close()
        }
    }

    @Test func aRateLimitedActionIsBackInTheJournalWhileItWaits() async throws {
        try await Self.withJournaledReply(retryAfter: 3600) { _, store, journal, transport in
            try await TelegramEndToEndTests.eventually("the 429") { transport.calls.withLock { $0.count } == 1 }
            #expect(transport.calls.withLock { $0.map(\.journaled) } == [false])  // claimed before the attempt
            try await TelegramEndToEndTests.eventually("the entry back in the journal") {
                try await store.journalEntries(journal).map(\.field) == ["9:0"]
            }
            // What a restart now would send: the same reply.
            let sink = RecordingActionSink()
            let entries = try await store.journalEntries(journal)
            #expect(journal.resend(entries, to: sink, now: Date().timeIntervalSince1970).resent == 1)
            #expect(sink.actions.map(\.method) == ["sendMessage"])
            #expect(sink.actions.first?.params["text"]?.string == "welcome")
        }
    }

    @Test func theRetryClaimsTheEntryAgainAndSendsItOnce() async throws {
        try await Self.withJournaledReply(retryAfter: 0.2) { outbox, store, journal, transport in
            try await TelegramEndToEndTests.eventually("the retry answered") {
                transport.results.withLock { $0.count } == 1
            }
            await outbox.waitUntilIdle()
            // Neither attempt found the entry: each claimed it first.
            #expect(transport.calls.withLock { $0.map(\.journaled) } == [false, false])
            #expect(try await store.journalEntries(journal).isEmpty)
            #expect(outbox.stats.rateLimited == 1)
            guard case .success = transport.results.withLock({ $0[0] }) else {
                Issue.record("the retry did not succeed")
                return
            }
        }
    }
}
