import Foundation
import TelegramSimulator
import Testing
import WardenJSON

@Suite("deleteMessage and deleteMessages follow Telegram's rules")
struct DeletionRulesTests {
    @Test func adminWithCanDeleteMessagesDeletesAnyRecentMessage() async throws {
        try await withSimulator { _, control, bot in
            let world = try await GroupWorld.make(control, botRights: ["can_delete_messages"])
            let spam = try await control.send(from: world.alice.id, in: world.chat.id, text: "buy now t.me/spam")
            let answer = try await bot.call(
                "deleteMessage",
                ["chat_id": .int(world.chat.id), "message_id": .int(spam.id)]
            )
            #expect(answer.body == ["ok": true, "result": true])
            let remaining = try await control.messages(in: world.chat.id).compactMap { $0["message_id"]?.int }
            #expect(!remaining.contains(spam.id), "a deleted message is gone")
            let again = try await bot.call(
                "deleteMessage",
                ["chat_id": .int(world.chat.id), "message_id": .int(spam.id)]
            )
            #expect(again.description == "Bad Request: message to delete not found")
        }
    }

    @Test func withoutTheRightOnlyTheBotsOwnMessagesGo() async throws {
        try await withSimulator { _, control, bot in
            let world = try await GroupWorld.make(control, botRights: ["can_restrict_members"])
            let theirs = try await control.send(from: world.alice.id, in: world.chat.id, text: "hello")
            let refused = try await bot.call(
                "deleteMessage",
                ["chat_id": .int(world.chat.id), "message_id": .int(theirs.id)]
            )
            #expect(refused.status == 400)
            #expect(refused.description == "Bad Request: message can't be deleted")
            let sent = try await bot.call("sendMessage", ["chat_id": .int(world.chat.id), "text": "mine"])
            let own = sent.result?["message_id"] ?? .null
            let deleted = try await bot.call("deleteMessage", ["chat_id": .int(world.chat.id), "message_id": own])
            #expect(deleted.ok)
        }
    }

    @Test func messagesOlderThan48HoursCannotBeDeleted() async throws {
        let time = ManualTime()
        try await withSimulator(.init(rateLimits: nil, time: .manual(time))) { _, control, bot in
            let world = try await GroupWorld.make(control, botRights: ["can_delete_messages"])
            let old = try await control.send(from: world.alice.id, in: world.chat.id, text: "old")
            let fresh = try await control.send(from: world.alice.id, in: world.chat.id, text: "fresh")
            let sent = try await bot.call("sendMessage", ["chat_id": .int(world.chat.id), "text": "bot's own"])
            time.advance(by: 47 * 3600)
            let withinWindow = try await bot.call(
                "deleteMessage",
                ["chat_id": .int(world.chat.id), "message_id": .int(fresh.id)]
            )
            #expect(withinWindow.ok)
            time.advance(by: 2 * 3600)
            let tooOld = try await bot.call(
                "deleteMessage",
                ["chat_id": .int(world.chat.id), "message_id": .int(old.id)]
            )
            #expect(tooOld.description == "Bad Request: message can't be deleted")
            let ownTooOld = try await bot.call(
                "deleteMessage",
                ["chat_id": .int(world.chat.id), "message_id": sent.result?["message_id"] ?? .null]
            )
            #expect(
                ownTooOld.description == "Bad Request: message can't be deleted",
                "in groups the bot's own messages age out too"
            )
        }
    }

    @Test func backdatedMessagesAndPrivateChatExceptions() async throws {
        try await withSimulator { _, control, bot in
            let user = try await control.createUser(firstName: "Ann")
            let chat = try await control.createChat(type: "private", userID: user.id)
            let threeDaysAgo = JSONValue.int(Int64(Date().timeIntervalSince1970) - 3 * 86_400)
            let old = try await control.send(from: user.id, in: chat.id, text: "old", extra: ["date": threeDaysAgo])
            let refused = try await bot.call("deleteMessage", ["chat_id": .int(chat.id), "message_id": .int(old.id)])
            #expect(refused.description == "Bad Request: message can't be deleted")
            let recent = try await control.send(from: user.id, in: chat.id, text: "recent")
            let incoming = try await bot.call(
                "deleteMessage",
                ["chat_id": .int(chat.id), "message_id": .int(recent.id)]
            )
            #expect(incoming.ok, "bots delete incoming messages in private chats")
            let dice = try await control.send(from: user.id, in: chat.id, kind: "dice")
            let diceAnswer = try await bot.call(
                "deleteMessage",
                ["chat_id": .int(chat.id), "message_id": .int(dice.id)]
            )
            #expect(diceAnswer.description == "Bad Request: message can't be deleted", "a fresh dice stays 24 hours")
        }
    }

    @Test func deleteMessagesSkipsMissingIdsAndCapsAt100() async throws {
        try await withSimulator { _, control, bot in
            let world = try await GroupWorld.make(control, botRights: ["can_delete_messages"])
            var ids: [JSONValue] = []
            for index in 0..<3 {
                ids.append(.int(try await control.send(from: world.alice.id, in: world.chat.id, text: "m\(index)").id))
            }
            let answer = try await bot.call(
                "deleteMessages",
                ["chat_id": .int(world.chat.id), "message_ids": .array(ids + [999_999])]
            )
            #expect(answer.body == ["ok": true, "result": true])
            let left = try await control.messages(in: world.chat.id).filter { $0["text"] != nil }
            #expect(left.isEmpty)
            let tooMany = try await bot.call(
                "deleteMessages",
                ["chat_id": .int(world.chat.id), "message_ids": .array((1...101).map { .int($0) })]
            )
            #expect(tooMany.status == 400)
            #expect(tooMany.description == "Bad Request: parameter \"message_ids\" must contain 1-100 items")
        }
    }

    @Test func aBotThatIsNotInTheChatIsForbidden() async throws {
        try await withSimulator { _, control, bot in
            let chat = try await control.createChat(type: "supergroup", title: "Elsewhere", botStatus: "left")
            let answer = try await bot.call("deleteMessage", ["chat_id": .int(chat.id), "message_id": 1])
            #expect(answer.status == 403)
            #expect(answer.description == "Forbidden: bot is not a member of the supergroup chat")
            let missing = try await bot.call("deleteMessage", ["chat_id": -100_999, "message_id": 1])
            #expect(missing.description == "Bad Request: chat not found")
        }
    }
}
