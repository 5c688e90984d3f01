import BotAPISpec
import TelegramSimulator
import Testing
import WardenJSON

@Suite("Everything the simulator answers conforms to the reference")
struct ConformanceTests {
    @Test func everySuccessfulResultMatchesItsMethodsReturnType() async throws {
        let spec = BotAPISpec.pinned
        try await withSimulator { _, control, bot in
            let world = try await GroupWorld.make(
                control,
                botRights: [
                    "can_delete_messages", "can_restrict_members", "can_pin_messages", "can_invite_users",
                    "can_promote_members",
                ]
            )
            let id = JSONValue.int(world.chat.id)
            let sent = try await bot.call(
                "sendMessage",
                ["chat_id": id, "text": "hello *world*", "parse_mode": "MarkdownV2"]
            )
            let messageID = sent.result?["message_id"] ?? .null
            let incoming = try await control.send(
                from: world.alice.id,
                in: world.chat.id,
                kind: "photo",
                caption: "look"
            )
            for (method, params) in [
                ("getMe", [:]), ("getChat", ["chat_id": id]),
                ("getChatMember", ["chat_id": id, "user_id": .int(world.owner.id)]),
                ("getChatMember", ["chat_id": id, "user_id": 123_456]),
                ("getChatAdministrators", ["chat_id": id]), ("getChatMemberCount", ["chat_id": id]),
                ("sendPhoto", ["chat_id": id, "photo": "AgACAgQ", "caption": "<i>c</i>", "parse_mode": "HTML"]),
                ("sendSticker", ["chat_id": id, "sticker": "CAACAgI"]),
                ("sendDocument", ["chat_id": id, "document": "BQACAgI"]),
                ("sendDice", ["chat_id": id]),
                ("forwardMessage", ["chat_id": id, "from_chat_id": id, "message_id": .int(incoming.id)]),
                ("copyMessage", ["chat_id": id, "from_chat_id": id, "message_id": .int(incoming.id)]),
                ("editMessageText", ["chat_id": id, "message_id": messageID, "text": "edited"]),
                ("pinChatMessage", ["chat_id": id, "message_id": messageID]),
                (
                    "restrictChatMember",
                    ["chat_id": id, "user_id": .int(world.alice.id), "permissions": ["can_send_messages": false]]
                ),
                ("getChatMember", ["chat_id": id, "user_id": .int(world.alice.id)]),
                ("banChatMember", ["chat_id": id, "user_id": .int(world.alice.id)]),
                ("getChatMember", ["chat_id": id, "user_id": .int(world.alice.id)]),
                ("getWebhookInfo", [:]), ("setMyCommands", ["commands": [["command": "ban", "description": "Ban"]]]),
                ("getMyCommands", [:]), ("getUpdates", ["allowed_updates": []]),
            ] as [(String, [String: JSONValue])] {
                let answer = try await bot.call(method, params)
                #expect(answer.ok, "\(method): \(answer.body)")
                let returns = spec.method(named: method)?.returns.map(SpecType.init(parsing:)) ?? []
                let violation = spec.validate(answer.result ?? .null, as: returns, path: "result")
                #expect(violation == nil, "\(method): \(violation?.description ?? "")")
            }
        }
    }

    @Test func everyQueuedUpdateIsAValidUpdate() async throws {
        let spec = BotAPISpec.pinned
        try await withSimulator { _, control, bot in
            _ = try await bot.call(
                "getUpdates",
                [
                    "allowed_updates": [
                        "message", "edited_message", "chat_member", "my_chat_member", "callback_query",
                        "chat_join_request", "channel_post",
                    ]
                ]
            )
            let world = try await GroupWorld.make(control, type: "group", botRights: [])
            let message = try await control.send(
                from: world.alice.id,
                in: world.chat.id,
                text: "hi @someone https://x.org"
            )
            try await control.edit(message.id, in: world.chat.id, text: "edited")
            try await control.setMember(123_456, in: world.chat.id, status: "administrator")
            _ = try await bot.call("banChatMember", ["chat_id": .int(world.chat.id), "user_id": .int(world.alice.id)])
            let dave = try await control.createUser(firstName: "Dave")
            try await control.join(dave.id, world.chat.id, viaLink: true)
            let carol = try await control.createUser(firstName: "Carol")
            try await control.joinRequest(carol.id, world.chat.id)
            let channel = try await control.createChat(type: "channel", title: "News")
            try await control.send(
                from: 123_456,
                in: channel.id,
                text: "post",
                extra: ["sender_chat": .int(channel.id)]
            )
            _ = try await control.migrate(world.chat.id)
            let updates = try await bot.call("getUpdates")
            let list = updates.result?.array ?? []
            #expect(list.count >= 8)
            #expect(
                list.contains {
                    $0["chat_member"]?["invite_link"]?["invite_link"]?.string?.hasPrefix("https://t.me/+") == true
                }
            )
            for update in list {
                #expect(spec.validate(update, asType: "Update") == nil, "\(update)")
            }
        }
    }
}
