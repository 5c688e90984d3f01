import Testing
import WardenJSON

@testable import TelegramSimulator

@Suite("Pure rules: update queue, deletion, permissions, faults, entities")
struct PureLogicTests {
    @Test func updateQueueOffsetSemantics() {
        var queue = UpdateQueue(allKinds: ["message", "chat_member", "callback_query"], firstID: 10)
        for index in 0..<5 { _ = queue.enqueue(kind: "message", payload: .int(Int64(index)), key: 1) }
        #expect(queue.enqueue(kind: "chat_member", payload: 0, key: 1) == nil, "chat_member is off by default")
        #expect(queue.filtered == 1)
        #expect(queue.fetch(offset: nil, limit: 2).map(\.id) == [10, 11])
        #expect(queue.fetch(offset: 12, limit: 100).map(\.id) == [12, 13, 14])
        #expect(queue.fetch(offset: 1_000, limit: 100).count == 3, "an offset from the future is ignored")
        #expect(queue.fetch(offset: -1, limit: 100).map(\.id) == [14])
        #expect(queue.fetch(offset: 15, limit: 100).isEmpty)
        queue.setAllowed(["chat_member"])
        #expect(queue.enqueue(kind: "message", payload: 0, key: 1) == nil)
        #expect(queue.enqueue(kind: "chat_member", payload: 0, key: 1)?.id == 15)
        queue.setAllowed(nil)
        #expect(queue.allowedUpdates == ["chat_member"], "omitting allowed_updates keeps the last setting")
        queue.setAllowed([])
        #expect(queue.allowedUpdates == nil, "an empty list restores the default")
    }

    @Test func deletionRules() {
        let bot: Int64 = 1
        let now: Int64 = 1_000_000
        var chat = SimChat(id: -100, kind: .supergroup, permissions: [])
        chat.members[bot] = SimMember(userID: bot, status: .member)
        func message(from sender: Int64, age: Int64, dice: Bool = false) -> SimMessage {
            var message = SimMessage(id: 1, chatID: chat.id, date: now - age, senderID: sender, json: [:])
            message.isDice = dice
            return message
        }
        #expect(Rules.canDelete(message(from: bot, age: 10), in: chat, botID: bot, now: now))
        #expect(!Rules.canDelete(message(from: 2, age: 10), in: chat, botID: bot, now: now))
        chat.members[bot] = SimMember(userID: bot, status: .administrator, rights: ["can_delete_messages"])
        #expect(Rules.canDelete(message(from: 2, age: 10), in: chat, botID: bot, now: now))
        #expect(!Rules.canDelete(message(from: 2, age: 48 * 3600), in: chat, botID: bot, now: now))
        var creation = message(from: 2, age: 10)
        creation.isCreationService = true
        #expect(!Rules.canDelete(creation, in: chat, botID: bot, now: now))
        chat.kind = .group
        chat.members[bot] = SimMember(userID: bot, status: .administrator)
        #expect(
            Rules.canDelete(message(from: 2, age: 10), in: chat, botID: bot, now: now),
            "any admin in a basic group"
        )
        chat.kind = .private
        #expect(Rules.canDelete(message(from: bot, age: 30 * 86_400), in: chat, botID: bot, now: now))
        #expect(!Rules.canDelete(message(from: 2, age: 10, dice: true), in: chat, botID: bot, now: now))
        #expect(Rules.canDelete(message(from: 2, age: 25 * 3600, dice: true), in: chat, botID: bot, now: now))
    }

    @Test func permissionImplicationsAndUntilDates() {
        let implied = Rules.applyingImplications(["can_send_other_messages"], independent: false)
        #expect(implied.contains("can_send_messages") && implied.contains("can_send_photos"))
        #expect(
            Rules.applyingImplications(["can_send_other_messages"], independent: true) == ["can_send_other_messages"]
        )
        #expect(Rules.applyingImplications(["can_send_polls"], independent: false).contains("can_send_messages"))
        #expect(Rules.normalizedUntil(nil, now: 100) == 0)
        #expect(Rules.normalizedUntil(120, now: 100) == 0, "under 30 seconds is forever")
        #expect(Rules.normalizedUntil(100 + 367 * 86_400, now: 100) == 0, "over 366 days is forever")
        #expect(Rules.normalizedUntil(3_700, now: 100) == 3_700)
    }

    @Test func faultPlanSpendsInOrderAndFiltersByMethod() {
        var plan = FaultPlan()
        plan.add(Fault(kind: .internalError, count: 1, methods: ["sendMessage"]))
        plan.add(Fault(kind: .drop, count: 2))
        #expect(plan.take(method: "getMe")?.kind == .drop)
        #expect(plan.take(method: "SENDMESSAGE")?.kind == .internalError)
        #expect(plan.take(method: "sendMessage")?.kind == .drop)
        #expect(plan.take(method: "sendMessage") == nil)
        #expect(plan.injected == 3)
    }

    @Test func textEntitiesLikeTelegramFindsThem() {
        let entities = TextEntities.detect("hi 👋 /start@Bot go to example.com, mail a@b.co #tag $USD @user_name")
        let types = entities.compactMap { $0["type"]?.string }
        #expect(types == ["bot_command", "url", "email", "hashtag", "cashtag", "mention"])
        #expect(entities[0] == ["type": "bot_command", "offset": 6, "length": 10], "offsets are UTF-16")
        #expect(entities[1]["length"] == 11, "trailing punctuation is not part of the URL")
        #expect(TextEntities.detect("@abc no").isEmpty, "mentions need five characters")
    }
}
