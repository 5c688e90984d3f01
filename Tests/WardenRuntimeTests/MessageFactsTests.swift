import Testing
import WardenJSON

@testable import WardenRuntime

@Suite struct MessageFactsTests {
    func facts(_ fields: [String: JSONValue]) -> MessageFacts {
        var message: [String: JSONValue] = [
            "message_id": 1, "date": 1, "chat": Fixture.chat(), "from": Fixture.user(5),
        ]
        for (key, value) in fields { message[key] = value }
        return MessageFacts(message: .object(message), botUsername: "WardenBot")
    }

    @Test(
        arguments: [
            ("text", ["text": "hi"]), ("photo", ["photo": [["file_id": "x"]]]),
            ("animation", ["animation": ["file_id": "a"], "document": ["file_id": "a"]]),
            ("venue", ["venue": ["title": "v"], "location": ["latitude": 1.0]]),
            ("sticker", ["sticker": ["file_id": "s"]]),
            ("dice", ["dice": ["emoji": "🎲", "value": 3]]), ("service", ["new_chat_title": "New"]),
            ("unknown", ["some_future_field": true]),
        ] as [(String, [String: JSONValue])]
    )
    func kindFollowsTheContentField(expected: String, fields: [String: JSONValue]) {
        #expect(facts(fields).kind == expected)
    }

    @Test func commandsWithPrefixesAndBotName() {
        let ban = facts(["text": "/Ban@WardenBot  42 spam  "])
        #expect(ban.command == "ban")
        #expect(ban.args == "42 spam")
        #expect(ban.matchText == "/Ban  42 spam  ")
        #expect(facts(["text": "!warn"]).command == "warn")
        #expect(facts(["text": "#lock links"]).args == "links")
        #expect(facts(["text": "/ban@OtherBot 1"]).addressedElsewhere)
        #expect(facts(["text": "/ban!"]).command == nil)
        #expect(facts(["text": "hello /ban"]).command == nil)
        #expect(facts(["text": .string("/" + String(repeating: "a", count: 40))]).command == nil)
    }

    @Test func serviceMessagesGetTgserviceText() {
        let joinedByLink = facts(["new_chat_members": [Fixture.user(5)]])
        #expect(joinedByLink.serviceAction == "join")
        #expect(joinedByLink.matchText == "!!tgservice chat_add_user_link")
        let added = facts(["new_chat_members": [Fixture.user(9)]])
        #expect(added.matchText == "!!tgservice chat_add_user")
        #expect(facts(["left_chat_member": Fixture.user(9)]).matchText == "!!tgservice chat_del_user")
        #expect(facts(["pinned_message": ["message_id": 3]]).serviceAction == "pin")
    }

    @Test func mediaWithoutCaptionMatchesAsBracketedKind() {
        #expect(facts(["photo": [["file_id": "x"]]]).matchText == "[photo]")
        #expect(facts(["photo": [["file_id": "x"]], "caption": "/id"]).command == "id")
    }
}
