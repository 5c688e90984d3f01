import BotAPISpec
import TelegramSimulator
import Testing
import WardenJSON

@Suite("Control API round trips through SimulatorControl")
struct ControlAPITests {
    @Test func idsFollowTelegramsRanges() async throws {
        try await withSimulator { _, control, _ in
            let user = try await control.createUser(firstName: "Ann", username: "ann")
            #expect(user.id > 0)
            let group = try await control.createChat(type: "group")
            #expect(group.id < 0 && !String(group.id).hasPrefix("-100"))
            let supergroup = try await control.createChat(type: "supergroup", username: "wardenchat")
            #expect(String(supergroup.id).hasPrefix("-100"))
            let channel = try await control.createChat(type: "channel")
            #expect(String(channel.id).hasPrefix("-100"))
            let privateChat = try await control.createChat(type: "private", userID: user.id)
            #expect(privateChat.id == user.id)
            await #expect(throws: SimulatorControlError.self) {
                _ = try await control.createUser(firstName: "Dup", id: user.id)
            }
        }
    }

    @Test func postedMessagesBecomeUpdatesWithEntitiesComputed() async throws {
        try await withSimulator { _, control, bot in
            let world = try await GroupWorld.make(control)
            _ = try await bot.call("getUpdates", ["offset": -1])
            let text = "/ban@WardenBot @spammer see t.me/joinchat/abc #spam"
            let message = try await control.send(from: world.alice.id, in: world.chat.id, text: text)
            let entities = message.json["entities"]?.array ?? []
            let types = entities.compactMap { $0["type"]?.string }
            #expect(types == ["bot_command", "mention", "url", "hashtag"])
            #expect(entities.first?["length"] == 14)
            let updates = try await bot.call("getUpdates", ["offset": 0])
            let last = updates.result?.array?.last
            #expect(last?["message"] == message.json)
            #expect(BotAPISpec.pinned.validate(last ?? .null, asType: "Update") == nil)
            let ids = try await control.messages(in: world.chat.id).compactMap { $0["message_id"]?.int }
            #expect(ids == ids.sorted())
        }
    }

    @Test func mediaKindsAreValidMessages() async throws {
        try await withSimulator { _, control, _ in
            let world = try await GroupWorld.make(control)
            for kind in [
                "photo", "video", "sticker", "animation", "document", "voice", "audio", "video_note", "contact",
                "location", "poll", "dice", "game",
            ] {
                let message = try await control.send(from: world.alice.id, in: world.chat.id, kind: kind, caption: "c")
                #expect(message.json[kind] != nil, "\(kind)")
                #expect(BotAPISpec.pinned.validate(message.json, asType: "Message") == nil, "\(kind)")
            }
        }
    }

    @Test func editsJoinsLeavesAndJoinRequestsEmitTheirUpdates() async throws {
        try await withSimulator { _, control, bot in
            let world = try await GroupWorld.make(control, botRights: ["can_invite_users", "can_restrict_members"])
            _ = try await bot.call(
                "getUpdates",
                ["offset": -1, "allowed_updates": ["message", "edited_message", "chat_member", "chat_join_request"]]
            )
            _ = try await bot.call("getUpdates", ["offset": -1])
            let drained = try await bot.call("getUpdates")
            let start = (drained.result?.array?.last?["update_id"]?.int ?? 0) + 1
            let message = try await control.send(from: world.alice.id, in: world.chat.id, text: "typo")
            try await control.edit(message.id, in: world.chat.id, text: "fixed")
            try await control.leave(world.alice.id, world.chat.id)
            let bob = try await control.createUser(firstName: "Bob")
            try await control.joinRequest(bob.id, world.chat.id)
            let approve = try await bot.call(
                "approveChatJoinRequest",
                ["chat_id": .int(world.chat.id), "user_id": .int(bob.id)]
            )
            #expect(approve.ok)
            let missing = try await bot.call(
                "declineChatJoinRequest",
                ["chat_id": .int(world.chat.id), "user_id": .int(bob.id)]
            )
            #expect(missing.description == "Bad Request: HIDE_REQUESTER_MISSING")
            let updates = try await bot.call("getUpdates", ["offset": .int(start)])
            let kinds = updates.result?.array?.compactMap { $0.object?.keys.first { $0 != "update_id" } } ?? []
            #expect(
                kinds == [
                    "message", "edited_message", "chat_member", "message", "chat_join_request", "chat_member",
                    "message",
                ]
            )
            let edited = updates.result?.array?.first { $0["edited_message"] != nil }
            #expect(edited?["edited_message"]?["text"] == "fixed")
            #expect(edited?["edited_message"]?["edit_date"]?.int != nil)
            #expect(try await control.member(bob.id, in: world.chat.id)["status"] == "member")
        }
    }

    @Test func buttonPressesAreAnsweredOnce() async throws {
        try await withSimulator { _, control, bot in
            let user = try await control.createUser(firstName: "Ann")
            let chat = try await control.createChat(type: "private", userID: user.id)
            let markup: JSONValue = ["inline_keyboard": [[["text": "I am human", "callback_data": "human"]]]]
            let sent = try await bot.call(
                "sendMessage",
                ["chat_id": .int(chat.id), "text": "Prove it", "reply_markup": markup]
            )
            let messageID = sent.result?["message_id"]?.int ?? 0
            await #expect(throws: SimulatorControlError.self) {
                try await control.pressButton(from: user.id, chatID: chat.id, messageID: messageID, data: "robot")
            }
            let query = try await control.pressButton(
                from: user.id,
                chatID: chat.id,
                messageID: messageID,
                data: "human"
            )
            let id = query["id"] ?? .null
            let answer = try await bot.call("answerCallbackQuery", ["callback_query_id": id, "text": "Welcome!"])
            #expect(answer.ok)
            let twice = try await bot.call("answerCallbackQuery", ["callback_query_id": id])
            #expect(
                twice.description == "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
            let state = try await control.callbackQuery(id.string ?? "")
            #expect(state["answered"] == true)
            #expect(state["answer"]?["text"] == "Welcome!")
        }
    }

    @Test func injectedUpdatesAreValidatedAndNumbered() async throws {
        try await withSimulator { _, control, bot in
            let update: JSONValue = [
                "message": [
                    "message_id": 1, "date": 1_700_000_000, "chat": ["id": -1_001, "type": "supergroup", "title": "X"],
                    "text": "raw",
                ]
            ]
            let id = try await control.inject(update)
            #expect(id != nil)
            let polled = try await bot.call("getUpdates")
            #expect(polled.result?[0]?["update_id"] == id.map(JSONValue.int))
            #expect(polled.result?[0]?["message"]?["text"] == "raw")
            await #expect(throws: SimulatorControlError.self) {
                try await control.inject(["message": ["text": "no id"]])
            }
        }
    }

    @Test func callsAreRecordedWithParamsAndResponses() async throws {
        try await withSimulator { _, control, bot in
            _ = try await bot.call("getMe")
            _ = try await bot.form("sendMessage", [("chat_id", "1"), ("text", "x")])
            let all = try await control.calls()
            #expect(all.count == 2)
            #expect(all[0]["seq"] == 1)
            let sends = try await control.calls(since: 1, method: "sendMessage")
            #expect(sends.count == 1)
            #expect(sends[0]["params"]?["chat_id"] == 1, "form values are recorded coerced")
            #expect(sends[0]["status"] == 400)
            #expect(sends[0]["response"]?["description"] == "Bad Request: chat not found")
            try await control.reset()
            let afterReset = try await control.calls()
            #expect(afterReset.isEmpty)
        }
    }

    @Test func sendingRespectsTheBotsOwnStandingAndReplies() async throws {
        try await withSimulator { _, control, bot in
            let world = try await GroupWorld.make(control, botRights: nil)
            let first = try await control.send(from: world.alice.id, in: world.chat.id, text: "question")
            let reply = try await bot.call(
                "sendMessage",
                [
                    "chat_id": .int(world.chat.id), "text": "<b>answer</b>", "parse_mode": "HTML",
                    "reply_parameters": ["message_id": .int(first.id)],
                ]
            )
            #expect(reply.result?["reply_to_message"]?["message_id"] == .int(first.id))
            #expect(reply.result?["text"] == "answer")
            #expect(reply.result?["entities"] == [["type": "bold", "offset": 0, "length": 6]])
            let lost = try await bot.call(
                "sendMessage",
                ["chat_id": .int(world.chat.id), "text": "x", "reply_parameters": ["message_id": 9_999]]
            )
            #expect(lost.description == "Bad Request: message to be replied not found")
            try await control.setMember(
                123_456,
                in: world.chat.id,
                status: "restricted",
                permissions: ["can_send_photos"]
            )
            let muted = try await bot.call("sendMessage", ["chat_id": .int(world.chat.id), "text": "x"])
            #expect(muted.description == "Bad Request: not enough rights to send text messages to the chat")
            try await control.setMember(123_456, in: world.chat.id, status: "kicked")
            let kicked = try await bot.call("sendMessage", ["chat_id": .int(world.chat.id), "text": "x"])
            #expect(kicked.status == 403)
            #expect(kicked.description == "Forbidden: bot was kicked from the supergroup chat")
            let stranger = try await control.createUser(firstName: "Stranger")
            let dm = try await bot.call("sendMessage", ["chat_id": .int(stranger.id), "text": "hi"])
            #expect(dm.description == "Forbidden: bot can't initiate conversation with a user")
        }
    }

    @Test func editingFollowsTelegramsRules() async throws {
        try await withSimulator { _, control, bot in
            let world = try await GroupWorld.make(control)
            let sent = try await bot.call("sendMessage", ["chat_id": .int(world.chat.id), "text": "v1"])
            let id = sent.result?["message_id"] ?? .null
            let edited = try await bot.call(
                "editMessageText",
                ["chat_id": .int(world.chat.id), "message_id": id, "text": "v2"]
            )
            #expect(edited.result?["text"] == "v2")
            let same = try await bot.call(
                "editMessageText",
                ["chat_id": .int(world.chat.id), "message_id": id, "text": "v2"]
            )
            #expect(same.description?.hasPrefix("Bad Request: message is not modified") == true)
            let theirs = try await control.send(from: world.alice.id, in: world.chat.id, text: "mine")
            let foreign = try await bot.call(
                "editMessageText",
                ["chat_id": .int(world.chat.id), "message_id": .int(theirs.id), "text": "hacked"]
            )
            #expect(foreign.description == "Bad Request: message can't be edited")
        }
    }

    @Test func privacyModeAndMembershipDecideWhatTheBotReceives() async throws {
        try await withSimulator(.init(rateLimits: nil, privacyMode: true)) { _, control, bot in
            let world = try await GroupWorld.make(control, botRights: nil)
            let me = try await bot.call("getMe")
            #expect(me.result?["can_read_all_group_messages"] == false)
            let setup = try await bot.call("getUpdates", ["offset": -1])
            let start = (setup.result?.array?.last?["update_id"]?.int ?? 0) + 1
            for text in ["just chatting", "/help", "hey @wardenbot", "bye"] {
                try await control.send(from: world.alice.id, in: world.chat.id, text: text)
            }
            try await control.setMember(
                123_456,
                in: world.chat.id,
                status: "administrator",
                rights: ["can_delete_messages"]
            )
            try await control.send(from: world.alice.id, in: world.chat.id, text: "admins see everything")
            try await control.setMember(123_456, in: world.chat.id, status: "left")
            try await control.send(from: world.alice.id, in: world.chat.id, text: "nobody sees this")
            let updates = try await bot.call("getUpdates", ["offset": .int(start)])
            let texts = updates.result?.array?.compactMap { $0["message"]?["text"]?.string } ?? []
            #expect(texts == ["/help", "hey @wardenbot", "admins see everything"])
            let kinds = updates.result?.array?.compactMap { $0.object?.keys.first { $0 != "update_id" } } ?? []
            #expect(
                kinds.filter { $0 == "my_chat_member" }.count == 2,
                "the bot's own status changes are always delivered"
            )
        }
    }
}
