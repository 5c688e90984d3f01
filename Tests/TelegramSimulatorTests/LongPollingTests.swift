import TelegramSimulator
import Testing
import WardenJSON

@Suite("getUpdates long polling")
struct LongPollingTests {
    @Test func longPollReturnsAsSoonAsAnUpdateArrives() async throws {
        try await withSimulator { _, control, bot in
            let world = try await GroupWorld.make(control)
            let drained = try await bot.call("getUpdates")
            let next = (drained.result?.array?.last?["update_id"]?.int ?? 0) + 1
            let clock = ContinuousClock()
            let start = clock.now
            async let poll = bot.call("getUpdates", ["offset": .int(next), "timeout": 5])
            try await Task.sleep(for: .milliseconds(200))
            try await control.send(from: world.alice.id, in: world.chat.id, text: "hello")
            let answer = try await poll
            let elapsed = clock.now - start
            #expect(answer.ok)
            #expect(answer.result?.array?.count == 1)
            #expect(answer.result?[0]?["message"]?["text"] == "hello")
            #expect(elapsed < .seconds(2), "answered after \(elapsed), not at once")
        }
    }

    @Test func longPollWaitsForTheTimeoutWhenNothingArrives() async throws {
        try await withSimulator { _, _, bot in
            let clock = ContinuousClock()
            let start = clock.now
            let answer = try await bot.call("getUpdates", ["timeout": 1])
            let elapsed = clock.now - start
            #expect(answer.result == [])
            #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(3), "waited \(elapsed)")
        }
    }

    @Test func offsetConfirmsAndForgetsEarlierUpdates() async throws {
        try await withSimulator { _, control, bot in
            let user = try await control.createUser(firstName: "Ann")
            let chat = try await control.createChat(type: "private", userID: user.id)
            for text in ["one", "two", "three"] { try await control.send(from: user.id, in: chat.id, text: text) }
            let all = try await bot.call("getUpdates")
            let ids = all.result?.array?.compactMap { $0["update_id"]?.int } ?? []
            #expect(ids.count == 3)
            #expect(ids == ids.sorted() && Set(ids).count == 3)
            let again = try await bot.call("getUpdates", ["limit": 2])
            #expect(again.result?.array?.count == 2, "unconfirmed updates are returned again")
            let rest = try await bot.call("getUpdates", ["offset": .int(ids[1])])
            #expect(rest.result?.array?.compactMap { $0["update_id"]?.int } == [ids[1], ids[2]])
            let empty = try await bot.call("getUpdates", ["offset": .int(ids[2] + 1)])
            #expect(empty.result == [])
            let state = try await control.state()
            #expect(state["updates_queued"] == 0)
        }
    }

    @Test func anAnswerIsMadeOfEachUpdatesStoredBytesAndReadsAsOneJSONValue() async throws {
        try await withSimulator { _, control, bot in
            let world = try await GroupWorld.make(control)
            for text in ["plain", "é😀 \"quoted\" \\ and\nnew line", "<b>html</b>"] {
                try await control.send(from: world.alice.id, in: world.chat.id, text: text)
            }
            let answer = try await bot.call("getUpdates")
            #expect(answer.ok)
            #expect(
                answer.result?.array?.compactMap { $0["message"]?["text"]?.string }.suffix(3) == [
                    "plain", "é😀 \"quoted\" \\ and\nnew line", "<b>html</b>",
                ]
            )
            // The bytes are those the whole answer serializes to, keys sorted, as every other answer is.
            #expect(answer.raw == answer.body.serialized(sortedKeys: true))
            let none = try await bot.call("getUpdates", ["offset": -1, "limit": 0])
            #expect(none.raw == none.body.serialized(sortedKeys: true))
        }
    }

    @Test func negativeOffsetKeepsOnlyTheNewest() async throws {
        try await withSimulator { _, control, bot in
            let user = try await control.createUser(firstName: "Ann")
            let chat = try await control.createChat(type: "private", userID: user.id)
            for text in ["one", "two", "three"] { try await control.send(from: user.id, in: chat.id, text: text) }
            let last = try await bot.call("getUpdates", ["offset": -1])
            #expect(last.result?.array?.count == 1)
            #expect(last.result?[0]?["message"]?["text"] == "three")
            let after = try await bot.call("getUpdates")
            #expect(after.result?.array?.count == 1, "earlier updates were forgotten")
        }
    }

    @Test func aSecondPollEndsTheFirstWith409Conflict() async throws {
        try await withSimulator { _, _, bot in
            async let first = bot.call("getUpdates", ["timeout": 5])
            try await Task.sleep(for: .milliseconds(300))
            let second = try await bot.call("getUpdates", ["timeout": 0])
            let older = try await first
            #expect(second.ok)
            #expect(older.status == 409)
            #expect(
                older.description
                    == "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
            )
        }
    }

    @Test func getUpdatesWhileAWebhookIsSetIs409() async throws {
        try await withSimulator { _, _, bot in
            let set = try await bot.call("setWebhook", ["url": "https://example.com/hook"])
            #expect(set.ok)
            #expect(set.description == "Webhook was set")
            let poll = try await bot.call("getUpdates")
            #expect(poll.status == 409)
            #expect(
                poll.description
                    == "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
            )
            let deleted = try await bot.call("deleteWebhook")
            #expect(deleted.description == "Webhook was deleted")
            let polled = try await bot.call("getUpdates")
            #expect(polled.ok)
        }
    }

    @Test func allowedUpdatesFiltersAndIsRemembered() async throws {
        try await withSimulator { _, control, bot in
            let world = try await GroupWorld.make(control)
            let setup = try await bot.call("getUpdates", ["offset": -1])
            let drained = (setup.result?.array?.last?["update_id"]?.int ?? 0) + 1
            _ = try await bot.call("getUpdates", ["offset": .int(drained)])
            let carol = try await control.createUser(firstName: "Carol")
            try await control.join(carol.id, world.chat.id)
            let byDefault = try await bot.call("getUpdates")
            let kinds = byDefault.result?.array?.compactMap { $0.object?.keys.first { $0 != "update_id" } } ?? []
            #expect(kinds == ["message"], "chat_member is not delivered unless asked for")
            let next = (byDefault.result?.array?.last?["update_id"]?.int ?? 0) + 1
            _ = try await bot.call("getUpdates", ["offset": .int(next), "allowed_updates": ["chat_member"]])
            try await control.leave(carol.id, world.chat.id)
            let filtered = try await bot.call("getUpdates")
            let later = filtered.result?.array?.compactMap { $0.object?.keys.first { $0 != "update_id" } } ?? []
            #expect(later == ["chat_member"], "the last allowed_updates still applies")
            let state = try await control.state()
            #expect(state["allowed_updates"] == ["chat_member"])
        }
    }
}
