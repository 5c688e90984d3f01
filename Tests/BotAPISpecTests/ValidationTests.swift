import BotAPISpec
import Testing
import WardenJSON

@Suite("Request validation against the reference")
struct ValidationTests {
    let spec = BotAPISpec.pinned

    func violation(_ method: String, _ params: [String: JSONValue]) -> SpecViolation? {
        spec.validate(method: method, params: params)
    }

    @Test func wellFormedRequestsPass() {
        #expect(violation("getMe", [:]) == nil)
        #expect(violation("sendMessage", ["chat_id": -1_001_234_567_890, "text": "hi"]) == nil)
        #expect(violation("sendMessage", ["chat_id": "@channel", "text": "hi", "parse_mode": "HTML"]) == nil)
        #expect(violation("deleteMessage", ["chat_id": 1, "message_id": 2]) == nil)
        #expect(violation("getUpdates", ["offset": -1, "timeout": 30, "allowed_updates": ["message"]]) == nil)
    }

    @Test func unknownMethodIs404NotFound() throws {
        let found = try #require(violation("sendMesage", ["chat_id": 1]))
        #expect(found.kind == .unknownMethod)
        #expect(found.errorCode == 404)
        #expect(found.description == "Not Found")
    }

    @Test func missingRequiredParameterIsNamed() throws {
        let found = try #require(violation("deleteMessage", ["message_id": 2]))
        #expect(found.kind == .missingField)
        #expect(found.description == "Bad Request: parameter \"chat_id\" is required")
        #expect(found.errorCode == 400)
    }

    @Test func missingOrBlankMessageTextUsesTelegramsWording() {
        #expect(violation("sendMessage", ["chat_id": 1])?.description == "Bad Request: message text is empty")
        #expect(
            violation("sendMessage", ["chat_id": 1, "text": ""])?.description == "Bad Request: message text is empty"
        )
        #expect(
            violation("sendMessage", ["chat_id": 1, "text": " \n "])?.description
                == "Bad Request: message text is empty"
        )
        let long = JSONValue.string(String(repeating: "a", count: 4097))
        #expect(
            violation("sendMessage", ["chat_id": 1, "text": long])?.description == "Bad Request: message is too long"
        )
        #expect(violation("sendMessage", ["chat_id": 1, "text": .string(String(repeating: "a", count: 4096))]) == nil)
        #expect(
            violation("editMessageText", ["chat_id": 1, "message_id": 1, "text": long])?.description
                == "Bad Request: message is too long"
        )
    }

    @Test func unknownParameterIsRefused() throws {
        let found = try #require(violation("sendMessage", ["chat_id": 1, "text": "x", "foo": 1]))
        #expect(found.kind == .unknownField)
        #expect(found.description == "Bad Request: unknown parameter \"foo\"")
    }

    @Test func nullCountsAsAbsent() {
        #expect(violation("sendMessage", ["chat_id": 1, "text": "x", "reply_markup": nil]) == nil)
    }

    @Test func scalarTypesAreChecked() {
        #expect(
            violation("banChatMember", ["chat_id": 1, "user_id": "42"])?.description
                == "Bad Request: field \"user_id\" must be of type Integer"
        )
        #expect(
            violation("sendMessage", ["chat_id": true, "text": "x"])?.description
                == "Bad Request: field \"chat_id\" must be of type Integer or String"
        )
        #expect(violation("sendMessage", ["chat_id": 1, "text": "x", "disable_notification": 1])?.kind == .wrongType)
        #expect(
            violation("sendLocation", ["chat_id": 1, "latitude": 1, "longitude": 2.5]) == nil,
            "Float accepts ints"
        )
        #expect(violation("sendLocation", ["chat_id": 1, "latitude": "1", "longitude": 2.5])?.kind == .wrongType)
    }

    @Test func trueOnlyAcceptsTrue() {
        // The 10.1 reference declares no "True" field, but older and newer ones do.
        #expect(spec.validate(true, as: [.true], path: "flag") == nil)
        #expect(
            spec.validate(false, as: [.true], path: "flag")?.description
                == "Bad Request: field \"flag\" must be of type True"
        )
    }

    @Test func nestedObjectsAreValidatedRecursively() {
        let reply: JSONValue = ["message_id": 5, "allow_sending_without_reply": true]
        #expect(violation("sendMessage", ["chat_id": 1, "text": "x", "reply_parameters": reply]) == nil)
        #expect(
            violation("sendMessage", ["chat_id": 1, "text": "x", "reply_parameters": ["chat_id": 1]])?.description
                == "Bad Request: field \"reply_parameters.message_id\" is required"
        )
        #expect(
            violation("sendMessage", ["chat_id": 1, "text": "x", "reply_parameters": ["message_id": "5"]])?.description
                == "Bad Request: field \"reply_parameters.message_id\" must be of type Integer"
        )
        #expect(
            violation("sendMessage", ["chat_id": 1, "text": "x", "reply_parameters": ["message_id": 5, "bogus": 1]])?
                .description == "Bad Request: unknown field \"reply_parameters.bogus\""
        )
        #expect(violation("sendMessage", ["chat_id": 1, "text": "x", "reply_parameters": 5])?.kind == .wrongType)
    }

    @Test func inlineKeyboardsAreArraysOfArraysOfButtons() {
        let good: JSONValue = [
            "inline_keyboard": [[["text": "Yes", "callback_data": "y"], ["text": "No", "url": "https://t.me"]]]
        ]
        #expect(violation("sendMessage", ["chat_id": 1, "text": "x", "reply_markup": good]) == nil)
        let flat: JSONValue = ["inline_keyboard": [["text": "Yes", "callback_data": "y"]]]
        #expect(violation("sendMessage", ["chat_id": 1, "text": "x", "reply_markup": flat]) != nil)
        let noText: JSONValue = ["inline_keyboard": [[["callback_data": "y"]]]]
        #expect(
            violation("sendMessage", ["chat_id": 1, "text": "x", "reply_markup": noText])?.description
                == "Bad Request: field \"reply_markup.inline_keyboard[0][0].text\" is required"
        )
        let longData: JSONValue = [
            "inline_keyboard": [[["text": "a", "callback_data": .string(String(repeating: "d", count: 65))]]]
        ]
        #expect(violation("sendMessage", ["chat_id": 1, "text": "x", "reply_markup": longData])?.kind == .outOfRange)
    }

    @Test func chatPermissionsAreTypedObjects() {
        let permissions: JSONValue = ["can_send_messages": false, "can_send_photos": false]
        #expect(violation("restrictChatMember", ["chat_id": 1, "user_id": 2, "permissions": permissions]) == nil)
        #expect(
            violation("restrictChatMember", ["chat_id": 1, "user_id": 2, "permissions": ["can_send_messages": "no"]])?
                .description == "Bad Request: field \"permissions.can_send_messages\" must be of type Boolean"
        )
        #expect(
            violation("restrictChatMember", ["chat_id": 1, "user_id": 2, "permissions": ["can_fly": true]])?.description
                == "Bad Request: unknown field \"permissions.can_fly\""
        )
        #expect(violation("restrictChatMember", ["chat_id": 1, "user_id": 2])?.kind == .missingField)
    }

    @Test func arraysCheckEveryElement() {
        #expect(violation("deleteMessages", ["chat_id": 1, "message_ids": [1, 2, 3]]) == nil)
        #expect(
            violation("deleteMessages", ["chat_id": 1, "message_ids": [1, "2"]])?.description
                == "Bad Request: field \"message_ids[1]\" must be of type Integer"
        )
        #expect(violation("deleteMessages", ["chat_id": 1, "message_ids": 1])?.kind == .wrongType)
    }

    @Test func unionsAcceptAnyMemberAndReportTheDiscriminatedOne() {
        let scope: JSONValue = ["type": "chat", "chat_id": -100]
        let commands: JSONValue = [["command": "start", "description": "Start"]]
        #expect(violation("setMyCommands", ["commands": commands, "scope": scope]) == nil)
        #expect(violation("setMyCommands", ["commands": commands, "scope": ["type": "default"]]) == nil)
        #expect(
            violation("setMyCommands", ["commands": commands, "scope": ["type": "chat"]])?.description
                == "Bad Request: field \"scope.chat_id\" is required"
        )
        #expect(violation("setMyCommands", ["commands": commands, "scope": ["type": "galaxy"]])?.kind == .wrongValue)
        #expect(violation("setMyCommands", ["commands": commands, "scope": "default"])?.kind == .wrongType)
        let member: JSONValue = [
            "status": "creator", "user": ["id": 1, "is_bot": false, "first_name": "A"], "is_anonymous": false,
        ]
        #expect(spec.validate(member, asType: "ChatMember") == nil)
        #expect(
            spec.validate(
                ["status": "kicked", "user": ["id": 1, "is_bot": false, "first_name": "A"]],
                asType: "ChatMember"
            ) != nil
        )
    }

    @Test func inputFilesAcceptFileIDsURLsAndAttachments() {
        #expect(violation("sendPhoto", ["chat_id": 1, "photo": "AgACAgIAAxkBAAI"]) == nil)
        #expect(violation("sendPhoto", ["chat_id": 1, "photo": "attach://photo1"]) == nil)
        #expect(violation("sendPhoto", ["chat_id": 1, "photo": 5])?.kind == .wrongType)
        let media: JSONValue = [["type": "photo", "media": "attach://a"], ["type": "photo", "media": "file-id"]]
        #expect(violation("sendMediaGroup", ["chat_id": 1, "media": media]) == nil)
    }

    @Test func countAndLengthLimitsFromDescriptions() {
        let hundredAndOne = JSONValue.array((1...101).map { .int(Int64($0)) })
        #expect(
            violation("deleteMessages", ["chat_id": 1, "message_ids": hundredAndOne])?.description
                == "Bad Request: parameter \"message_ids\" must contain 1-100 items"
        )
        #expect(violation("deleteMessages", ["chat_id": 1, "message_ids": []])?.kind == .outOfRange)
        #expect(
            violation("forwardMessages", ["chat_id": 1, "from_chat_id": 2, "message_ids": hundredAndOne])?.kind
                == .outOfRange
        )
        #expect(
            violation("copyMessages", ["chat_id": 1, "from_chat_id": 2, "message_ids": hundredAndOne])?.kind
                == .outOfRange
        )
        let longAnswer = JSONValue.string(String(repeating: "x", count: 201))
        #expect(
            violation("answerCallbackQuery", ["callback_query_id": "1", "text": longAnswer])?.description
                == "Bad Request: parameter \"text\" must be 0-200 characters long"
        )
        #expect(violation("answerCallbackQuery", ["callback_query_id": "1", "text": ""]) == nil)
        #expect(violation("getUpdates", ["limit": 0])?.kind == .outOfRange)
        #expect(
            violation("getUpdates", ["limit": 101])?.description
                == "Bad Request: parameter \"limit\" must be between 1 and 100"
        )
        #expect(
            violation(
                "sendPhoto",
                ["chat_id": 1, "photo": "id", "caption": .string(String(repeating: "c", count: 1025))]
            )?
            .description == "Bad Request: message caption is too long"
        )
    }

    @Test func parseModeMustBeKnownAndTextMustParse() {
        #expect(violation("sendMessage", ["chat_id": 1, "text": "x", "parse_mode": "markdownv2"]) == nil)
        #expect(
            violation("sendMessage", ["chat_id": 1, "text": "x", "parse_mode": "BBCode"])?.description
                == "Bad Request: unsupported parse_mode"
        )
        let found = violation("sendMessage", ["chat_id": 1, "text": "Done.", "parse_mode": "MarkdownV2"])
        #expect(found?.kind == .unparsableEntities)
        #expect(
            found?.description
                == "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'"
        )
        #expect(
            violation("sendMessage", ["chat_id": 1, "text": "<b></b>", "parse_mode": "HTML"])?.description
                == "Bad Request: message text is empty"
        )
        #expect(
            violation("sendMessage", ["chat_id": 1, "text": "1 < 2", "parse_mode": "HTML"])?.kind == .unparsableEntities
        )
    }

    @Test func updatesAndResultsCanBeCheckedAsTypes() {
        let update: JSONValue = [
            "update_id": 1,
            "message": [
                "message_id": 3, "date": 1_700_000_000, "chat": ["id": -100_123, "type": "supergroup", "title": "G"],
                "from": ["id": 7, "is_bot": false, "first_name": "Ann"], "text": "hello",
            ],
        ]
        #expect(spec.validate(update, asType: "Update") == nil)
        #expect(spec.validate(["update_id": 1, "message": ["message_id": 3]], asType: "Update")?.kind == .missingField)
        #expect(spec.validate(["id": 1, "type": "megagroup"], asType: "Chat")?.kind == .wrongValue)
    }
}
