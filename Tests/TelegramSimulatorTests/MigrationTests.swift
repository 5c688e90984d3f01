import TelegramSimulator
import Testing
import WardenJSON

@Suite("Group to supergroup migration")
struct MigrationTests {
    @Test func theOldIdAnswers400WithMigrateToChatID() async throws {
        try await withSimulator { _, control, bot in
            let world = try await GroupWorld.make(control, type: "group", botRights: [])
            _ = try await bot.call("getUpdates", ["offset": -1])
            let supergroup = try await control.migrate(world.chat.id)
            #expect(String(supergroup).hasPrefix("-100"))
            let old = try await bot.call("sendMessage", ["chat_id": .int(world.chat.id), "text": "hi"])
            #expect(old.status == 400)
            #expect(
                old.body == [
                    "ok": false, "error_code": 400,
                    "description": "Bad Request: group chat was upgraded to a supergroup chat",
                    "parameters": ["migrate_to_chat_id": .int(supergroup)],
                ]
            )
            let new = try await bot.call("sendMessage", ["chat_id": .int(supergroup), "text": "hi"])
            #expect(new.ok)
            let updates = try await bot.call("getUpdates", ["offset": 0])
            let messages = updates.result?.array?.compactMap { $0["message"] } ?? []
            #expect(
                messages.contains {
                    $0["migrate_to_chat_id"] == .int(supergroup) && $0["chat"]?["id"] == .int(world.chat.id)
                }
            )
            #expect(
                messages.contains {
                    $0["migrate_from_chat_id"] == .int(world.chat.id) && $0["chat"]?["id"] == .int(supergroup)
                }
            )
            let member = try await control.member(world.alice.id, in: supergroup)
            #expect(member["status"] == "member", "members move over")
        }
    }
}
