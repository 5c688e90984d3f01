import BotAPISpec
import Foundation
import Testing

@Suite("The bundled Bot API reference")
struct SpecLoadingTests {
    let spec = BotAPISpec.pinned

    @Test func loadsVersion10_1WithAllMethodsAndTypes() {
        #expect(spec.version == "10.1")
        #expect(spec.methods.count >= 170)
        #expect(spec.types.count >= 300)
        #expect(spec.method(named: "sendMessage")?.returns == ["Message"])
        #expect(spec.type(named: "ChatMember")?.subtypes?.count == 6)
    }

    @Test func methodNamesResolveCaseInsensitivelyLikeTelegram() {
        #expect(spec.method(named: "SENDMESSAGE")?.name == "sendMessage")
        #expect(spec.method(named: "getme")?.name == "getMe")
        #expect(spec.method(named: "sendMessages") == nil)
    }

    @Test func fieldAndParameterNamesFollowTheReferenceOrder() throws {
        let names = try #require(spec.fieldNames(of: "ReplyParameters"))
        #expect(names.first == "message_id")
        #expect(names.contains("chat_id"))
        let parameters = try #require(spec.parameterNames(of: "deleteMessage"))
        #expect(parameters == ["chat_id", "message_id"])
        #expect(spec.fieldNames(of: "NoSuchType") == nil)
    }

    @Test func declaredTypesParseIncludingNestedArrays() throws {
        let keyboard = try #require(spec.type(named: "InlineKeyboardMarkup")?.field(named: "inline_keyboard"))
        #expect(keyboard.types == [.array(.array(.named("InlineKeyboardButton")))])
        let chatID = try #require(spec.method(named: "sendMessage")?.field(named: "chat_id"))
        #expect(chatID.types == [.integer, .string])
        #expect(chatID.isRequired)
    }

    @Test func limitsAreReadFromDescriptions() throws {
        let text = try #require(spec.method(named: "sendMessage")?.field(named: "text")?.limit)
        #expect(text == FieldLimit(unit: .charactersAfterEntities, minimum: 1, maximum: 4096))
        let ids = try #require(spec.method(named: "deleteMessages")?.field(named: "message_ids")?.limit)
        #expect(ids == FieldLimit(unit: .items, minimum: 1, maximum: 100))
        let answer = try #require(spec.method(named: "answerCallbackQuery")?.field(named: "text")?.limit)
        #expect(answer == FieldLimit(unit: .characters, minimum: 0, maximum: 200))
        let limit = try #require(spec.method(named: "getUpdates")?.field(named: "limit")?.limit)
        #expect(limit == FieldLimit(unit: .value, minimum: 1, maximum: 100))
        let data = try #require(spec.type(named: "InlineKeyboardButton")?.field(named: "callback_data")?.limit)
        #expect(data.unit == .bytes && data.maximum == 64)
        // "ISO 639-1" is prose, not a range.
        #expect(spec.method(named: "setMyCommands")?.field(named: "language_code")?.limit == nil)
    }

    @Test func discriminatorsAreReadFromDescriptions() throws {
        #expect(spec.type(named: "ChatMemberOwner")?.field(named: "status")?.constant == "creator")
        #expect(spec.type(named: "BotCommandScopeChat")?.field(named: "type")?.constant == "chat")
        let chatTypes = try #require(spec.type(named: "Chat")?.field(named: "type")?.allowedValues)
        #expect(Set(chatTypes) == ["private", "group", "supergroup", "channel"])
    }

    @Test func bundledCopyIsByteIdenticalToTheSharedReference() throws {
        // Tests/BotAPISpecTests/<file> → the repository root is three levels up; shared/ sits beside it.
        let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent()
        let shared = root.deletingLastPathComponent().appendingPathComponent("shared/telegram-bot-api/api.json")
        let bundled = root.appendingPathComponent("Sources/BotAPISpec/Resources/api.json")
        guard let reference = FileManager.default.contents(atPath: shared.path) else { return }
        let copy = try #require(FileManager.default.contents(atPath: bundled.path))
        #expect(
            copy == reference,
            "Sources/BotAPISpec/Resources/api.json differs from ../shared/telegram-bot-api/api.json"
        )
        let loaded = try BotAPISpec(contentsOf: shared.path)
        #expect(loaded.version == spec.version)
        #expect(loaded.methods.count == spec.methods.count)
    }
}
