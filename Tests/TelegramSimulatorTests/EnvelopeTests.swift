import BotAPISpec
import TelegramSimulator
import Testing
import WardenJSON

@Suite("Bot API envelopes and errors")
struct EnvelopeTests {
    @Test func getMeAnswersWithTheBotInTheOkEnvelope() async throws {
        try await withSimulator { _, _, bot in
            let answer = try await bot.call("getMe")
            #expect(answer.status == 200)
            #expect(answer.body["ok"] == true)
            #expect(answer.result?["id"] == 123_456)
            #expect(answer.result?["is_bot"] == true)
            #expect(answer.result?["username"] == "WardenBot")
            #expect(BotAPISpec.pinned.validate(answer.result ?? .null, asType: "User") == nil)
        }
    }

    @Test func wrongTokenIs401Unauthorized() async throws {
        try await withSimulator { _, _, bot in
            let answer = try await bot.call("getMe", token: "123456:WRONG")
            #expect(answer.status == 401)
            #expect(answer.body == ["ok": false, "error_code": 401, "description": "Unauthorized"])
        }
    }

    @Test func unknownMethodIs404NotFound() async throws {
        try await withSimulator { _, _, bot in
            let answer = try await bot.call("sendMesage", ["chat_id": 1, "text": "x"])
            #expect(answer.status == 404)
            #expect(answer.body == ["ok": false, "error_code": 404, "description": "Not Found"])
        }
    }

    @Test func specViolationsAre400WithTelegramsDescription() async throws {
        try await withSimulator { _, _, bot in
            let missing = try await bot.call("deleteMessage", ["message_id": 1])
            #expect(missing.status == 400)
            #expect(
                missing.body == [
                    "ok": false, "error_code": 400, "description": "Bad Request: parameter \"chat_id\" is required",
                ]
            )
            let unknown = try await bot.call("getMe", ["foo": 1])
            #expect(unknown.description == "Bad Request: unknown parameter \"foo\"")
            let wrongType = try await bot.call("banChatMember", ["chat_id": 1, "user_id": "x"])
            #expect(wrongType.description == "Bad Request: field \"user_id\" must be of type Integer")
            let empty = try await bot.call("sendMessage", ["chat_id": 1, "text": ""])
            #expect(empty.description == "Bad Request: message text is empty")
        }
    }

    @Test func methodNamesAreCaseInsensitiveLikeTelegram() async throws {
        try await withSimulator { _, _, bot in
            let upper = try await bot.call("GETME")
            let lower = try await bot.call("getme")
            #expect(upper.ok && lower.ok)
        }
    }

    @Test func formQueryAndMultipartValuesAreCoercedToTheSpecTypes() async throws {
        try await withSimulator { _, control, bot in
            let user = try await control.createUser(firstName: "Bob")
            let chat = try await control.createChat(type: "private", userID: user.id)
            let markup = #"{"inline_keyboard":[[{"text":"OK","callback_data":"ok"}]]}"#
            let form = try await bot.form(
                "sendMessage",
                [
                    ("chat_id", "\(chat.id)"), ("text", "hi there"), ("disable_notification", "true"),
                    ("reply_markup", markup),
                ]
            )
            #expect(form.ok, "\(form.body)")
            #expect(form.result?["reply_markup"]?["inline_keyboard"]?[0]?[0]?["callback_data"] == "ok")
            let query = try await bot.get("sendMessage", query: "chat_id=\(chat.id)&text=from+the+query%21")
            #expect(query.result?["text"] == "from the query!")
            let badBool = try await bot.form(
                "sendMessage",
                [("chat_id", "\(chat.id)"), ("text", "x"), ("disable_notification", "maybe")]
            )
            #expect(badBool.description == "Bad Request: field \"disable_notification\" must be of type Boolean")
            let boundary = "XyZ"
            let body = [
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n\(chat.id)\r\n",
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n",
                "Content-Type: image/jpeg\r\n\r\n\u{1}\u{2}\u{3}\r\n--\(boundary)--\r\n",
            ].joined()
            let multipart = try await bot.send(
                "sendPhoto",
                contentType: "multipart/form-data; boundary=\(boundary)",
                body: Array(body.utf8)
            )
            #expect(multipart.ok, "\(multipart.body)")
            #expect(multipart.result?["photo"]?.array?.count == 2)
        }
    }

    @Test func methodsWithoutAModelAnswerWithASpecValidResult() async throws {
        try await withSimulator { _, _, bot in
            let link = try await bot.call("exportChatInviteLink", ["chat_id": -100_1])
            #expect(link.ok)
            #expect(link.result?.string != nil)
            let button = try await bot.call("getChatMenuButton")
            #expect(BotAPISpec.pinned.validate(button.result ?? .null, asType: "MenuButton") == nil)
            let description = try await bot.call("setMyDescription", ["description": "Antispam"])
            #expect(description.result == true)
        }
    }
}
