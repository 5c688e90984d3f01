import BotAPI
import Testing
import WardenJSON

@Suite struct UpdateTests {
    @Test func theKindIsTheFirstFieldByNameOtherThanTheUpdateID() {
        #expect(Update.kind(of: ["update_id": 1, "message": [:]]) == "message")
        // Telegram sends one content field; should more come, the choice must not depend on hashing order.
        let fields: [String: JSONValue] = ["update_id": 1, "poll": [:], "edited_message": [:], "message": [:]]
        #expect(Update.kind(of: fields) == "edited_message")
        #expect(Update.kind(of: ["update_id": 1]) == nil)
        #expect(Update(json: ["update_id": 7])?.kind == "unknown")
        #expect(Update(json: ["message": [:]]) == nil)
    }

    @Test func theChatIsTheContentsOwnElseThatOfTheMessageItIsAbout() {
        #expect(Update.chatID(ofContent: ["chat": ["id": -100], "from": ["id": 5]]) == -100)
        #expect(Update.chatID(ofContent: ["id": "q1", "from": ["id": 5], "message": ["chat": ["id": -7]]]) == -7)
        #expect(Update.chatID(ofContent: ["id": "q2", "from": ["id": 5], "query": "cats"]) == nil)
        #expect(Update.chatID(ofContent: ["chat": ["id": "not a number"]]) == nil)
    }
}
