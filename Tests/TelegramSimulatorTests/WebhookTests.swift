import TelegramSimulator
import Testing
import WardenJSON

@Suite("Webhook delivery")
struct WebhookTests {
    static let fast = TelegramSimulator.Configuration(
        rateLimits: nil,
        webhookRetryBaseDelay: 0.05,
        webhookRetryMaxDelay: 0.2,
        webhookTimeout: 0.3
    )

    @Test func updatesArePostedWithTheSecretHeader() async throws {
        let recorder = try await WebhookRecorder()
        try await withSimulator(Self.fast) { _, control, bot in
            let set = try await bot.call("setWebhook", ["url": .string(recorder.url), "secret_token": "s3cr3t_-X"])
            #expect(set.ok)
            let user = try await control.createUser(firstName: "Ann")
            let chat = try await control.createChat(type: "private", userID: user.id)
            try await control.send(from: user.id, in: chat.id, text: "/start")
            let received = await recorder.waitForRequests(1)
            #expect(received.first?.secretToken == "s3cr3t_-X")
            #expect(received.first?.body["message"]?["text"] == "/start")
            #expect(received.first?.body["update_id"]?.int != nil)
            let drained = try await eventually {
                try await bot.call("getWebhookInfo").result?["pending_update_count"] == 0
            }
            #expect(drained)
            let info = try await bot.call("getWebhookInfo")
            #expect(info.result?["url"] == .string(recorder.url))
        }
        await recorder.stop()
    }

    @Test func failedDeliveriesAreRetriedInOrder() async throws {
        let recorder = try await WebhookRecorder(statuses: [500, 500])
        try await withSimulator(Self.fast) { _, control, bot in
            _ = try await bot.call("setWebhook", ["url": .string(recorder.url)])
            let user = try await control.createUser(firstName: "Ann")
            let chat = try await control.createChat(type: "private", userID: user.id)
            for text in ["first", "second", "third"] { try await control.send(from: user.id, in: chat.id, text: text) }
            let received = await recorder.waitForRequests(5)
            let texts = received.compactMap { $0.body["message"]?["text"]?.string }
            #expect(
                texts == ["first", "first", "first", "second", "third"],
                "the first update is retried before the rest"
            )
            let info = try await bot.call("getWebhookInfo")
            #expect(info.result?["last_error_message"] == "Wrong response from the webhook: 500 Internal Server Error")
            #expect(info.result?["last_error_date"]?.int != nil)
        }
        await recorder.stop()
    }

    @Test func unreachableReceiverIsReportedAndPendingUpdatesKept() async throws {
        try await withSimulator(Self.fast) { _, control, bot in
            _ = try await bot.call("setWebhook", ["url": "http://127.0.0.1:1/hook"])
            let user = try await control.createUser(firstName: "Ann")
            let chat = try await control.createChat(type: "private", userID: user.id)
            try await control.send(from: user.id, in: chat.id, text: "hello")
            try await eventually { try await bot.call("getWebhookInfo").result?["last_error_message"] != nil }
            let info = try await bot.call("getWebhookInfo")
            #expect(info.result?["pending_update_count"] == 1)
            #expect(info.result?["last_error_message"]?.string?.isEmpty == false)
        }
    }

    @Test func aMethodInTheWebhookReplyIsExecuted() async throws {
        let user = 5_000_000_001
        let reply: JSONValue = ["method": "sendMessage", "chat_id": .int(Int64(user)), "text": "welcome"]
        let recorder = try await WebhookRecorder(reply: reply)
        try await withSimulator(Self.fast) { _, control, bot in
            _ = try await bot.call("setWebhook", ["url": .string(recorder.url)])
            let ann = try await control.createUser(firstName: "Ann", id: Int64(user))
            let chat = try await control.createChat(type: "private", userID: ann.id)
            try await control.send(from: ann.id, in: chat.id, text: "/start")
            _ = await recorder.waitForRequests(1)
            try await eventually { try await control.messages(in: chat.id).count == 2 }
            let messages = try await control.messages(in: chat.id)
            #expect(messages.last?["text"] == "welcome")
            let calls = try await control.calls(method: "sendMessage")
            #expect(calls.count == 1)
        }
        await recorder.stop()
    }

    @Test func plainHTTPIsRefusedForNonLoopbackHosts() async throws {
        try await withSimulator { _, _, bot in
            let answer = try await bot.call("setWebhook", ["url": "http://example.com/hook"])
            #expect(answer.description == "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
            let secret = try await bot.call(
                "setWebhook",
                ["url": "https://example.com/hook", "secret_token": "no spaces"]
            )
            #expect(secret.description == "Bad Request: secret token contains unallowed characters")
        }
    }
}
