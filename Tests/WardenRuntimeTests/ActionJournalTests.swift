import Logging
import RedisStore
import Testing
import WardenJSON
import WardenTestSupport

@testable import WardenRuntime

/// The action journal's entries: what is written, what a restart resends, what it drops.
@Suite struct ActionJournalTests {
    let journal = ActionJournal(key: "warden:bot:1:outbox")

    static func held(_ method: String, _ params: [String: JSONValue]) -> ActionJournal.Held {
        ActionJournal.Held(
            action: BotAction(id: BotAction.nextID(), method: method, params: params, plugin: "bans", updateID: 7),
            completion: nil
        )
    }

    @Test func aBatchsActionsAreJournaledInOneHSETAndTaggedByUpdate() {
        let (command, actions) = journal.journal(
            [
                (
                    42,
                    [
                        Self.held("deleteMessage", ["chat_id": -5, "message_id": 3]),
                        Self.held("sendMessage", ["chat_id": -5]),
                    ]
                ),
                (43, []), (44, [Self.held("sendMessage", ["chat_id": -6])]),
            ],
            now: 1000
        )
        #expect(Array(command.prefix(2)) == ["HSET", journal.key])
        #expect(command.count == 8)
        #expect(actions.map(\.action.journalField) == ["42:0", "42:1", "44:0"])
        let decoded = ActionJournal.decode(command[3])
        #expect(decoded?.action.method == "deleteMessage")
        #expect(decoded?.action.params == ["chat_id": -5, "message_id": 3])
        #expect(decoded?.action.plugin == "bans")
        #expect(decoded?.action.updateID == 7)
        #expect(decoded?.journaledAt == 1000)
    }

    @Test func aRestartResendsInUpdateOrderAndDropsStaleOrUnreadableEntries() {
        let fresh = ActionJournal.encode(
            Self.held("sendMessage", ["chat_id": 1, "text": "a"]).action,
            journaledAt: 5000
        )
        let later = ActionJournal.encode(
            Self.held("sendMessage", ["chat_id": 1, "text": "b"]).action,
            journaledAt: 5000
        )
        let old = ActionJournal.encode(Self.held("sendMessage", ["chat_id": 1]).action, journaledAt: 1)
        let sink = RecordingActionSink()
        let result = journal.resend(
            [
                (field: "10:0", value: later), (field: "9:1", value: fresh), (field: "3:0", value: old),
                ("4:0", "{oops"),
            ],
            to: sink,
            now: 5000 + ActionJournal.maxAge - 1
        )
        #expect(result.resent == 2)
        #expect(Set(result.stale) == ["3:0", "4:0"])
        #expect(sink.actions.map { $0.params["text"] } == ["a", "b"])
        #expect(sink.actions.map(\.journalField) == ["9:1", "10:0"])
    }

    @Test func anIdenticalBanMergedIntoAnotherLeavesItsEntryToBeRemoved() {
        var queue = OutboxQueue(configuration: .init(), now: 0)
        for field in ["1:0", "2:0"] {
            var ban = OutboxQueueTests.action("banChatMember", ["chat_id": -9, "user_id": 4])
            ban.journalField = field
            queue.enqueue(ban, completion: nil, now: 0)
        }
        #expect(queue.mergedJournalFields == ["2:0"])
        #expect(queue.nextRequest(now: 0)?.items.map(\.action.journalField) == ["1:0"])
    }
}

/// Removing entries is a claim: of two processes holding one entry, only one sends it.
@Suite struct ActionJournalClaimTests {
    @Test func anEntryIsClaimedOnce() async throws {
        try await withRedisServer { redis in
            let store = try await BotStateStore(
                redisURL: redis.url,
                prefix: "claim:",
                botID: 1,
                logger: .init(label: "t")
            )
            let journal = ActionJournal(key: RuntimeKeys(prefix: "claim:").actionJournal(botID: 1))
            let (command, _) = journal.journal(
                [
                    (
                        5,
                        [
                            ActionJournalTests.held("sendMessage", ["chat_id": 1]),
                            ActionJournalTests.held("sendMessage", ["chat_id": 2]),
                        ]
                    )
                ],
                now: 0
            )
            _ = try RedisConnection(url: redis.url).pipeline([command])
            #expect(try await store.journalEntries(journal).count == 2)
            #expect(await store.claimJournaled(["5:0"]) == ["5:0"])
            #expect(await store.claimJournaled(["5:0", "5:1"]) == ["5:1"])
            #expect(try await store.journalEntries(journal).isEmpty)

            // A claim that ran but whose answer was lost (Redis shut down in between): asked again, the
            // entries are still this process's, and never another's.
            let other = try await BotStateStore(
                redisURL: redis.url,
                prefix: "claim:",
                botID: 1,
                logger: .init(label: "t")
            )
            let keys = RuntimeKeys(prefix: "claim:")
            let connection = try RedisConnection(url: redis.url)
            _ = try connection.pipeline([
                ["HSET", journal.key, "6:0", "{}"], ["HDEL", journal.key, "6:0"],
                ["HSET", keys.actionClaimsKey(botID: 1).rawValue, "6:0", store.instanceID],
            ])
            #expect(await other.claimJournaled(["6:0"]) == [])
            #expect(await store.claimJournaled(["6:0"]) == ["6:0"])
            // Once answered, the mark goes with the next round trip.
            _ = await store.claimJournaled(["7:0"])
            #expect(try connection.call("HLEN", keys.actionClaimsKey(botID: 1).rawValue).int == 0)
            await other.close()
            await store.close()
        }
    }
}
