import BotAPI
import BotAPISpec
import Logging
import TelegramSimulator
import Testing
import WardenJSON

@testable import WardenRuntime

/// Every Bot API request Warden can make is checked against the pinned spec (Bot API 10.1):
/// the method exists, required fields are there, no unknown fields, JSON types match.
@Suite struct SpecConformanceTests {
    /// Every host API function and compat call, with every optional argument.
    static let everyAction = #"""
        return { patterns = { "^!all$" }, run = function(msg)
          local chat, user = msg.chat.id, msg.from.id
          bot.send(chat, "hi", { parse_mode = "HTML", disable_notification = true,
            reply_markup = { inline_keyboard = { { { text = "ok", callback_data = "x" } } } } })
          bot.reply(msg, "re")
          bot.delete(chat, 5)
          bot.delete(chat, { 6, 7 })
          bot.ban(chat, user, 1700000000)
          bot.unban(chat, user)
          bot.kick(chat, user)
          bot.restrict(chat, user, { can_send_messages = false }, 1700000000)
          bot.promote(chat, user, { can_delete_messages = true, can_restrict_members = true })
          bot.pin(chat, 9, { disable_notification = true })
          bot.answer_callback("q1", "done", { show_alert = true })
          bot.edit(chat, 9, "edited", { parse_mode = "HTML" })
          send_msg(get_receiver(msg), "compat")
          send_large_msg(get_receiver(msg), ("x"):rep(5000))
          reply_msg(msg.id, "compat reply")
          chat_del_user(get_receiver(msg), "user#id" .. user)
          channel_kick(get_receiver(msg), "user#id" .. user)
          delete_msg(msg.id)
        end }
        """#

    @Test func everyHostAPIActionMatchesTheSpec() throws {
        let test = try TestHost(plugins: [("all", Self.everyAction)])
        test.send(Fixture.message("!all"))
        let actions = test.sink.actions
        #expect(actions.count >= 20)
        for action in actions {
            let violation = BotAPISpec.pinned.validate(method: action.method, params: action.params)
            #expect(violation == nil, "\(action.method): \(violation.map(String.init(describing:)) ?? "")")
        }
        #expect(
            Set(actions.map(\.method)).isSuperset(of: [
                "sendMessage", "deleteMessage", "deleteMessages", "banChatMember", "unbanChatMember",
                "restrictChatMember",
                "promoteChatMember", "pinChatMessage", "answerCallbackQuery", "editMessageText",
            ])
        )
    }

    @Test func runReturnValuesAndOutboxMergesMatchTheSpec() {
        let merged = ["chat_id": JSONValue.int(-100), "message_ids": .array((1...100).map { .int($0) })]
        #expect(BotAPISpec.pinned.validate(method: "deleteMessages", params: merged) == nil)
        let reply: [String: JSONValue] = [
            "chat_id": .int(-100), "text": "x",
            "reply_parameters": ["message_id": 5, "allow_sending_without_reply": true],
        ]
        #expect(BotAPISpec.pinned.validate(method: "sendMessage", params: reply) == nil)
        #expect(AllowedUpdates.all.allSatisfy { BotAPISpec.pinned.fieldNames(of: "Update")?.contains($0) == true })
    }

    /// The client's own requests, sent to the simulator, which refuses anything off-spec with 400.
    @Test func everyClientRequestIsAcceptedByTheSpecCheckingSimulator() async throws {
        try await TestWorlds.withSimulator(.init(token: "42:SPEC", logger: Logger(label: "sim"))) { simulator in
            let control = SimulatorControl(baseURL: simulator.baseURL)
            let owner = try await control.createUser(firstName: "Owner")
            let group = try await control.createChat(
                type: "supergroup",
                title: "G",
                creator: owner.id,
                botStatus: "administrator",
                botRights: ["can_delete_messages"]
            )
            let client = BotAPIClient(token: "42:SPEC", baseURL: simulator.baseURL)
            _ = try await client.getMe()
            _ = try await client.deleteWebhook(dropPendingUpdates: true)
            _ = try await client.getUpdates(offset: 1, limit: 100, timeout: 0, allowedUpdates: AllowedUpdates.all)
            _ = try await client.getWebhookInfo()
            _ = try await client.getChatAdministrators(chatID: group.id)
            _ = try await client.getChatMember(chatID: group.id, userID: owner.id)
            _ = try await client.sendMessage(chatID: group.id, text: "hello", extra: ["disable_notification": true])
            _ = try await client.setWebhook(
                url: "https://bot.example.com/hook",
                secretToken: "s",
                maxConnections: 40,
                allowedUpdates: AllowedUpdates.all,
                dropPendingUpdates: true,
                certificate: InputFile(
                    data: Array("PEM".utf8),
                    filename: "c.pem",
                    contentType: "application/x-pem-file"
                )
            )
            _ = try await client.deleteWebhook(dropPendingUpdates: false)
            for call in try await control.calls() {
                let method = call["method"]?.string ?? ""
                let params = call["params"]?.object ?? [:]
                let violation = BotAPISpec.pinned.validate(
                    method: method,
                    params: params.filter { $0.key != "certificate" }
                )
                #expect(violation == nil, "\(method): \(violation.map(String.init(describing:)) ?? "")")
            }
        }
    }
}
