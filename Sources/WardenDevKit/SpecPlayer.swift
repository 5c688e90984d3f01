import Foundation
import RedisStore
import TelegramSimulator
import WardenJSON

/// Plays the steps of one case: events go to the simulator's control API, expectations are checked
/// against the Bot API calls it recorded, its chats and Redis.
struct SpecPlayer {
    var world: SpecWorld
    let telegram: PrivateTelegram
    let timeout: Duration
    /// Bot API calls of this case so far (getUpdates left out), oldest first.
    var calls: [JSONValue] = []
    var lastSeq: Int64 = 0
    /// Sequence numbers of calls an `expect` step has already used.
    var consumed: Set<Int64> = []
    /// True after `settle()` until the next step that can make the bot act (not `redis` setup): further
    /// negative expectations and snapshots need not wait again. A case starts with nothing sent to the bot.
    var settled = true
    /// `redis_snapshot` label → the keys it saw and their DUMPs.
    var snapshots: [String: RedisSnapshot] = [:]

    /// Returns once the bot's outbox has nothing queued or in flight.
    let outboxIdle: @Sendable () async -> Void
    /// Where to publish after a `redis` step, and how to wait until the bot's read cache saw the write.
    var cacheSync: (channel: String, barrier: @Sendable (String) async -> Void)?

    init(
        world: SpecWorld,
        telegram: PrivateTelegram,
        timeout: Duration,
        outboxIdle: @escaping @Sendable () async -> Void
    ) {
        self.world = world
        self.telegram = telegram
        self.timeout = timeout
        self.outboxIdle = outboxIdle
    }

    static let actions = [
        "text", "kind", "edit", "join", "leave", "join_request", "press", "set_member", "update", "redis", "wait",
        "redis_snapshot",
    ]
    static let expectations = [
        "expect", "expect_no", "expect_member", "expect_gone", "expect_visible", "expect_redis", "expect_answer",
        "expect_redis_unchanged",
    ]

    /// "(expect banChatMember)", "(text "hello")", … for failure messages.
    static func describe(_ step: JSONValue) -> String {
        for key in expectations + actions {
            if let value = step[key], !value.isNull {
                let shown = value.string.map { key == "text" ? "\"\($0)\"" : $0 } ?? value.text
                return "(\(key) \(shown.prefix(80)))"
            }
        }
        return "(?)"
    }

    mutating func play(_ step: JSONValue) async throws {
        guard case .object(let fields) = step else { throw SpecError("a step must be a table") }
        if let key = Self.expectations.first(where: { fields[$0] != nil }) {
            try await expect(key, step)
            return
        }
        if fields["redis"] == nil && fields["redis_snapshot"] == nil { settled = false }
        if let label = fields["redis_snapshot"]?.string {
            try await snapshot(label, step)
        } else if fields["edit"] != nil || fields["join"] != nil || fields["leave"] != nil
            || fields["join_request"] != nil || fields["press"] != nil || fields["set_member"] != nil
            || fields["update"] != nil || fields["redis"] != nil || fields["wait"] != nil
        {
            try await event(step)
        } else if fields["text"] != nil || fields["kind"] != nil || fields["caption"] != nil {
            try await message(step)
        } else {
            throw SpecError("unknown step; see docs/plugin-testing.md for the step kinds")
        }
    }

    // MARK: Events

    private static let nameFields = ["from", "sender_chat", "forward_from_user", "forward_from_chat", "via_bot"]
    private static let runnerFields: Set<String> = ["as", "chat", "reply_to", "refused"]

    private mutating func message(_ step: JSONValue) async throws {
        let chat = try world.id(try Self.string(step, "chat"))
        var body: [String: JSONValue] = [:]
        for (key, value) in step.object ?? [:] where !Self.runnerFields.contains(key) {
            if Self.nameFields.contains(key), let name = value.string, !name.hasPrefix("$") {
                body[key] = .int(try world.id(name))
            } else {
                body[key] = world.resolve(value)
            }
        }
        if let label = step["reply_to"]?.string { body["reply_to_message_id"] = .int(try world.id(label)) }
        let sent = try await perform(step) {
            try await telegram.control.request("POST", "chats/\(chat)/messages", body: .object(body))
        }
        if let label = step["as"]?.string, let id = sent?["message_id"]?.int {
            world.label(message: id, in: chat, as: label)
        }
    }

    private mutating func event(_ step: JSONValue) async throws {
        let control = telegram.control
        if let seconds = step["wait"]?.double {
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
        } else if let label = step["edit"]?.string {
            let chat = try world.chat(ofMessage: label)
            let body: JSONValue = ["text": world.resolve(step["text"] ?? .null)]
            _ = try await perform(step) {
                try await control.request("POST", "chats/\(chat)/messages/\(try world.id(label))/edit", body: body)
            }
        } else if let user = step["join"]?.string {
            var body: [String: JSONValue] = ["user_id": .int(try world.id(user))]
            body["via_link"] = step["link"]
            if let adder = step["added_by"]?.string { body["added_by"] = .int(try world.id(adder)) }
            try await chatEvent(step, "join", .object(body))
        } else if let user = step["leave"]?.string {
            try await chatEvent(step, "leave", ["user_id": .int(try world.id(user))])
        } else if let user = step["join_request"]?.string {
            try await chatEvent(step, "join_request", ["user_id": .int(try world.id(user))])
        } else if let data = step["press"]?.string {
            let label = try Self.string(step, "message")
            let body: JSONValue = [
                "from": .int(try world.id(try Self.string(step, "from"))),
                "chat_id": .int(try world.chat(ofMessage: label)), "message_id": .int(try world.id(label)),
                "data": world.resolve(.string(data)),
            ]
            let query = try await perform(step) { try await control.request("POST", "callback", body: body) }
            if let label = step["as"]?.string, let id = query?["id"]?.string { world.label(query: id, as: label) }
        } else if let user = step["set_member"]?.string {
            var body: [String: JSONValue] = ["user_id": .int(try world.id(user))]
            body["status"] = step["status"] ?? "member"
            body["rights"] = Self.flags(step["rights"])
            body["permissions"] = Self.flags(step["permissions"])
            body["until_date"] = step["until_date"].map(world.resolve)
            try await chatEvent(step, "members", .object(body))
        } else if let update = step["update"] {
            _ = try await perform(step) { try await control.request("POST", "updates", body: world.resolve(update)) }
        } else if let command = step["redis"]?.array {
            let reply = try telegram.connection.call(command.map { Array(Self.text(world.resolve($0)).utf8) })
            if case .error(let message) = reply { throw SpecError("redis answered: \(message)") }
            if let (channel, barrier) = cacheSync {
                let token = UUID().uuidString
                _ = try telegram.connection.call("PUBLISH", channel, token)
                await barrier(token)
            }
        }
    }

    private func chatEvent(_ step: JSONValue, _ path: String, _ body: JSONValue) async throws {
        let chat = try world.id(try Self.string(step, "chat"))
        _ = try await perform(step) { try await telegram.control.request("POST", "chats/\(chat)/\(path)", body: body) }
    }

    /// Runs a control request; with `refused = true` the step passes only if the simulator refuses it.
    private func perform(_ step: JSONValue, _ request: () async throws -> JSONValue) async throws -> JSONValue? {
        let expectRefusal = step["refused"]?.bool == true
        do {
            let result = try await request()
            if expectRefusal { throw SpecError("the simulator accepted it, but the step expects a refusal") }
            return result
        } catch let error as SimulatorControlError {
            if expectRefusal { return nil }
            throw SpecError("the simulator refused it: \(error.description)")
        }
    }

    // MARK: Helpers

    static func string(_ step: JSONValue, _ key: String) throws -> String {
        guard let value = step[key]?.string else { throw SpecError("`\(key)` is required") }
        return value
    }

    /// `{ "can_x", "can_y" }` or `{ can_x = true }` → `{ "can_x": true, … }`.
    static func flags(_ value: JSONValue?) -> JSONValue? {
        guard let value else { return nil }
        if let names = value.array {
            return .object(Dictionary(uniqueKeysWithValues: names.compactMap(\.string).map { ($0, true) }))
        }
        return value
    }

    /// A Redis argument: strings as they are, numbers and booleans as text, tables as JSON.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .bool(let flag): return flag ? "1" : "0"
        default: return value.text
        }
    }
}
