import TelegramSimulator
import Testing
import WardenJSON

@Suite("Bans, restrictions and promotions are enforced")
struct ModerationTests {
    @Test func banWithoutCanRestrictMembersIsRefused() async throws {
        try await withSimulator { _, control, bot in
            let world = try await GroupWorld.make(control, botRights: ["can_delete_messages"])
            let answer = try await bot.call(
                "banChatMember",
                ["chat_id": .int(world.chat.id), "user_id": .int(world.alice.id)]
            )
            #expect(answer.status == 400)
            #expect(answer.description == "Bad Request: not enough rights to restrict/unrestrict chat member")
            let plain = try await GroupWorld.make(control, botRights: nil)
            let restrict = try await bot.call(
                "restrictChatMember",
                [
                    "chat_id": .int(plain.chat.id), "user_id": .int(plain.alice.id),
                    "permissions": ["can_send_messages": false],
                ]
            )
            #expect(restrict.description == "Bad Request: not enough rights to restrict/unrestrict chat member")
        }
    }

    @Test func theCreatorAndOtherAdminsCannotBeBanned() async throws {
        try await withSimulator { _, control, bot in
            let world = try await GroupWorld.make(control)
            let owner = try await bot.call(
                "banChatMember",
                ["chat_id": .int(world.chat.id), "user_id": .int(world.owner.id)]
            )
            #expect(owner.description == "Bad Request: can't remove chat owner")
            try await control.setMember(
                world.alice.id,
                in: world.chat.id,
                status: "administrator",
                rights: ["can_delete_messages"]
            )
            let admin = try await bot.call(
                "banChatMember",
                ["chat_id": .int(world.chat.id), "user_id": .int(world.alice.id)]
            )
            #expect(admin.description == "Bad Request: user is an administrator of the chat")
        }
    }

    @Test func aBannedUserIsKickedCannotPostAndComesBackOnlyAfterUnban() async throws {
        try await withSimulator { _, control, bot in
            let world = try await GroupWorld.make(control)
            let ban = try await bot.call(
                "banChatMember",
                ["chat_id": .int(world.chat.id), "user_id": .int(world.alice.id)]
            )
            #expect(ban.body == ["ok": true, "result": true])
            let member = try await control.member(world.alice.id, in: world.chat.id)
            #expect(member["status"] == "kicked")
            #expect(member["until_date"] == 0)
            await #expect(throws: SimulatorControlError.self) {
                try await control.send(from: world.alice.id, in: world.chat.id, text: "let me in")
            }
            await #expect(throws: SimulatorControlError.self) { try await control.join(world.alice.id, world.chat.id) }
            let unban = try await bot.call(
                "unbanChatMember",
                ["chat_id": .int(world.chat.id), "user_id": .int(world.alice.id), "only_if_banned": true]
            )
            #expect(unban.ok)
            #expect(try await control.member(world.alice.id, in: world.chat.id)["status"] == "left")
            try await control.join(world.alice.id, world.chat.id)
        }
    }

    @Test func temporaryBansExpireAtUntilDate() async throws {
        let time = ManualTime()
        try await withSimulator(.init(rateLimits: nil, time: .manual(time))) { _, control, bot in
            let world = try await GroupWorld.make(control)
            let until = Int64(time.now) + 3_600
            _ = try await bot.call(
                "banChatMember",
                ["chat_id": .int(world.chat.id), "user_id": .int(world.alice.id), "until_date": .int(until)]
            )
            #expect(try await control.member(world.alice.id, in: world.chat.id)["until_date"] == .int(until))
            time.advance(by: 3_601)
            #expect(try await control.member(world.alice.id, in: world.chat.id)["status"] == "left")
            let short = Int64(time.now) + 10
            _ = try await bot.call(
                "banChatMember",
                ["chat_id": .int(world.chat.id), "user_id": .int(world.alice.id), "until_date": .int(short)]
            )
            #expect(
                try await control.member(world.alice.id, in: world.chat.id)["until_date"] == 0,
                "under 30 s is forever"
            )
        }
    }

    @Test func restrictedMembersCannotSendWhatTheyLost() async throws {
        try await withSimulator { _, control, bot in
            let world = try await GroupWorld.make(control)
            let mute = try await bot.call(
                "restrictChatMember",
                [
                    "chat_id": .int(world.chat.id), "user_id": .int(world.alice.id),
                    "permissions": ["can_send_messages": false, "can_send_photos": true],
                    "use_independent_chat_permissions": true,
                ]
            )
            #expect(mute.ok, "\(mute.body)")
            let member = try await control.member(world.alice.id, in: world.chat.id)
            #expect(member["status"] == "restricted")
            #expect(member["can_send_messages"] == false)
            #expect(member["can_send_photos"] == true)
            do {
                try await control.send(from: world.alice.id, in: world.chat.id, text: "shh")
                Issue.record("a muted member posted")
            } catch let error as SimulatorControlError {
                #expect(error.status == 403)
                #expect(error.description.contains("can_send_messages"))
            }
            try await control.send(from: world.alice.id, in: world.chat.id, kind: "photo")
            let all: JSONValue = .object(
                Dictionary(
                    uniqueKeysWithValues: [
                        "can_send_messages", "can_send_other_messages", "can_send_polls",
                        "can_add_web_page_previews", "can_invite_users", "can_react_to_messages", "can_edit_tag",
                        "can_pin_messages",
                        "can_change_info", "can_manage_topics",
                    ].map { ($0, JSONValue.bool(true)) }
                )
            )
            _ = try await bot.call(
                "restrictChatMember",
                ["chat_id": .int(world.chat.id), "user_id": .int(world.alice.id), "permissions": all]
            )
            #expect(
                try await control.member(world.alice.id, in: world.chat.id)["status"] == "member",
                "all permissions lift it"
            )
        }
    }

    @Test func restrictIsForSupergroupsOnly() async throws {
        try await withSimulator { _, control, bot in
            let world = try await GroupWorld.make(control, type: "group", botRights: [])
            let answer = try await bot.call(
                "restrictChatMember",
                [
                    "chat_id": .int(world.chat.id), "user_id": .int(world.alice.id),
                    "permissions": ["can_send_messages": false],
                ]
            )
            #expect(answer.description == "Bad Request: method is available only for supergroups")
        }
    }

    @Test func promotionNeedsCanPromoteMembersAndOnlyGrantsTheBotsRights() async throws {
        try await withSimulator { _, control, bot in
            let world = try await GroupWorld.make(control, botRights: ["can_delete_messages"])
            let refused = try await bot.call(
                "promoteChatMember",
                ["chat_id": .int(world.chat.id), "user_id": .int(world.alice.id), "can_delete_messages": true]
            )
            #expect(refused.description == "Bad Request: not enough rights")
            try await control.setMember(
                123_456,
                in: world.chat.id,
                status: "administrator",
                rights: ["can_promote_members", "can_delete_messages", "can_restrict_members"]
            )
            let promoted = try await bot.call(
                "promoteChatMember",
                ["chat_id": .int(world.chat.id), "user_id": .int(world.alice.id), "can_delete_messages": true]
            )
            #expect(promoted.ok)
            let member = try await control.member(world.alice.id, in: world.chat.id)
            #expect(member["status"] == "administrator")
            #expect(member["can_delete_messages"] == true)
            #expect(member["can_be_edited"] == true)
            let beyond = try await bot.call(
                "promoteChatMember",
                ["chat_id": .int(world.chat.id), "user_id": .int(world.alice.id), "can_change_info": true]
            )
            #expect(beyond.description == "Bad Request: RIGHT_FORBIDDEN")
            let ban = try await bot.call(
                "banChatMember",
                ["chat_id": .int(world.chat.id), "user_id": .int(world.alice.id)]
            )
            #expect(ban.ok, "a bot may remove an admin it promoted")
        }
    }

    @Test func permissionsAndAdministratorsAreReported() async throws {
        try await withSimulator { _, control, bot in
            let world = try await GroupWorld.make(control)
            let set = try await bot.call(
                "setChatPermissions",
                ["chat_id": .int(world.chat.id), "permissions": ["can_send_messages": true]]
            )
            #expect(set.ok)
            let chat = try await bot.call("getChat", ["chat_id": .int(world.chat.id)])
            #expect(chat.result?["permissions"]?["can_send_messages"] == true)
            #expect(chat.result?["permissions"]?["can_send_photos"] == false)
            let admins = try await bot.call("getChatAdministrators", ["chat_id": .int(world.chat.id)])
            #expect(admins.result?.array?.compactMap { $0["status"]?.string } == ["creator", "administrator"])
            let count = try await bot.call("getChatMemberCount", ["chat_id": .int(world.chat.id)])
            #expect(count.result == 3)
            await #expect(throws: SimulatorControlError.self) {
                try await control.send(from: world.alice.id, in: world.chat.id, kind: "photo")
            }
        }
    }
}
