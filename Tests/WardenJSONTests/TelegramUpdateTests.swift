import Testing
import WardenJSON

@Suite struct TelegramUpdateTests {
    @Test func groupMessageUpdateParsesWithTheRightTypes() throws {
        let update = try JSONValue(parsing: telegramUpdate)
        #expect(update["update_id"] == .int(912_345_678))
        let message = try #require(update["message"])
        #expect(message["message_id"]?.int == 4821)
        #expect(message["from"]?["id"] == .int(123_456_789))
        #expect(message["from"]?["is_bot"] == .bool(false))
        #expect(message["from"]?["first_name"]?.string == "Алиса")
        #expect(message["chat"]?["id"] == .int(-1_001_234_567_890_123))
        #expect(message["chat"]?["type"] == "supergroup")
        #expect(message["chat"]?["title"]?.string == "Warden Test Group 🛡️")
        #expect(message["text"]?.string == "/ban@warden_bot spammer \"repeat offender\" \\ see\nrules 🚫")
        #expect(message["message_thread_id"]?.isNull == true)
        let entities = try #require(message["entities"]?.array)
        #expect(entities.count == 2)
        #expect(entities[0]["type"] == "bot_command" && entities[0]["length"] == 15)
        #expect(entities[1]["offset"]?.int == 16)
        let reply = try #require(message["reply_to_message"])
        #expect(reply["from"]?["is_bot"]?.bool == true)
        #expect(reply["chat"]?["id"]?.int == -1_001_234_567_890_123)
        #expect(reply["text"] == "Welcome!")
    }

    @Test func updateRoundTripsThroughSerialization() throws {
        let update = try JSONValue(parsing: telegramUpdate)
        #expect(try JSONValue(parsing: update.serialized()) == update)
        #expect(String(decoding: update.serialized(), as: UTF8.self).contains("-1001234567890123"))
    }

    @Test func outgoingActionSerializesToExpectedJSON() {
        let action: JSONValue = [
            "method": "banChatMember", "chat_id": -1_001_234_567_890_123, "user_id": 9_223_372_036_854_775_807,
            "revoke_messages": true, "until_date": nil,
        ]
        #expect(
            String(decoding: action.serialized(sortedKeys: true), as: UTF8.self)
                == #"{"chat_id":-1001234567890123,"method":"banChatMember","revoke_messages":true,"until_date":null,"user_id":9223372036854775807}"#
        )
    }
}
