import Testing
import WardenJSON

@testable import TelegramSimulator

@Suite("Flood limits answer 429 with retry_after")
struct RateLimitTests {
    @Test func perChatBurstThenOneMessagePerSecond() async throws {
        let time = ManualTime()
        try await withSimulator(.init(rateLimits: .telegram, time: .manual(time))) { _, control, bot in
            let user = try await control.createUser(firstName: "Ann")
            let chat = try await control.createChat(type: "private", userID: user.id)
            for index in 0..<3 {
                let sent = try await bot.call(
                    "sendMessage",
                    ["chat_id": .int(chat.id), "text": .string("burst \(index)")]
                )
                #expect(sent.ok)
            }
            let limited = try await bot.call("sendMessage", ["chat_id": .int(chat.id), "text": "one too many"])
            #expect(limited.status == 429)
            #expect(
                limited.body == [
                    "ok": false, "error_code": 429, "description": "Too Many Requests: retry after 1",
                    "parameters": ["retry_after": 1],
                ]
            )
            time.advance(by: 1)
            let after = try await bot.call("sendMessage", ["chat_id": .int(chat.id), "text": "after waiting"])
            #expect(after.ok)
            let state = try await control.state()
            #expect(state["too_many_requests"] == 1)
        }
    }

    @Test func twentyMessagesPerMinuteInAGroup() async throws {
        let time = ManualTime()
        try await withSimulator(.init(rateLimits: .telegram, time: .manual(time))) { _, control, bot in
            let world = try await GroupWorld.make(control)
            var sent = 0
            var retryAfter: Int64?
            for _ in 0..<40 {
                let answer = try await bot.call("sendMessage", ["chat_id": .int(world.chat.id), "text": "tick"])
                if answer.ok { sent += 1 } else { retryAfter = answer.body["parameters"]?["retry_after"]?.int }
                time.advance(by: 1.5)
            }
            // 40 attempts over 60 s: the per-minute bucket (20, refilling 1 every 3 s) lets about 20 + 60/3 through.
            #expect(sent >= 20 && sent < 40, "sent \(sent)")
            #expect((retryAfter ?? 0) >= 1)
        }
    }

    @Test func thirtyRequestsPerSecondAcrossChats() {
        var limiter = RateLimiter(settings: .telegram)
        var admitted = 0
        for chat in 0..<40 {
            if limiter.admit(method: "sendMessage", chatID: Int64(chat), isGroup: false, messages: 1, now: 100) == nil {
                admitted += 1
            }
        }
        #expect(admitted == 30)
        #expect(limiter.admit(method: "deleteMessage", chatID: 1, isGroup: false, messages: 1, now: 100) == 1)
        #expect(limiter.admit(method: "getChatMember", chatID: 1, isGroup: false, messages: 1, now: 100) == nil)
        #expect(limiter.admit(method: "banChatMember", chatID: 1, isGroup: true, messages: 1, now: 101) == nil)
    }

    @Test func tokenBucketComputesTheWait() {
        var bucket = TokenBucket(capacity: 3, rate: 1, now: 0)
        for _ in 0..<3 {
            #expect(bucket.wait(for: 1, now: 0) == 0)
            bucket.take(1, now: 0)
        }
        #expect(bucket.wait(for: 1, now: 0) == 1)
        #expect(bucket.wait(for: 1, now: 0.5) == 0.5)
        #expect(bucket.wait(for: 1, now: 1) == 0)
    }

    @Test func limitsCanBeSwitchedOff() async throws {
        try await withSimulator(.init(rateLimits: nil)) { _, control, bot in
            let user = try await control.createUser(firstName: "Ann")
            let chat = try await control.createChat(type: "private", userID: user.id)
            for _ in 0..<10 {
                let answer = try await bot.call("sendMessage", ["chat_id": .int(chat.id), "text": "x"])
                #expect(answer.ok)
            }
        }
    }
}
