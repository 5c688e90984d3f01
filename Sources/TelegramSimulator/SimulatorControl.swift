public import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
public import WardenJSON

/// A typed client for the simulator's control API, so tests set up a world and act in it in a few lines.
///
/// Every method maps to one endpoint in docs/simulator.md and returns the `result` of its envelope;
/// a refused request throws `SimulatorControlError` with the simulator's explanation.
public struct SimulatorControl: Sendable {
    /// The simulator's base URL, e.g. "http://127.0.0.1:54321".
    public let baseURL: String
    private let client: HTTPClient

    /// Creates a client; the shared AsyncHTTPClient needs no shutdown.
    public init(baseURL: String, client: HTTPClient = .shared) {
        self.baseURL = baseURL
        self.client = client
    }

    /// A user the simulator created.
    public struct User: Sendable, Hashable {
        /// The user id (also the id of their private chat with the bot).
        public let id: Int64
        /// The `User` object.
        public let json: JSONValue
    }

    /// A chat the simulator created.
    public struct Chat: Sendable, Hashable {
        /// The chat id (negative for groups, -100… for supergroups and channels).
        public let id: Int64
        /// The `Chat` object.
        public let json: JSONValue
    }

    /// A message someone posted.
    public struct Message: Sendable, Hashable {
        /// The message id, increasing per chat.
        public let id: Int64
        /// The `Message` object, as the bot receives it in the update.
        public let json: JSONValue
    }

    // MARK: World

    /// Forgets every user, chat, call, fault and queued update (`POST /control/reset`).
    public func reset() async throws { _ = try await call(.POST, "reset") }

    /// Creates a user (`POST /control/users`).
    public func createUser(
        firstName: String,
        lastName: String? = nil,
        username: String? = nil,
        isBot: Bool = false,
        id: Int64? = nil
    ) async throws -> User {
        var body: [String: JSONValue] = ["first_name": .string(firstName), "is_bot": .bool(isBot)]
        body["last_name"] = lastName.map(JSONValue.string)
        body["username"] = username.map(JSONValue.string)
        body["id"] = id.map(JSONValue.int)
        let json = try await call(.POST, "users", body: .object(body))
        return User(id: json["id"]?.int ?? 0, json: json)
    }

    /// Creates a chat (`POST /control/chats`); `type` is private, group, supergroup or channel.
    ///
    /// The bot joins with `botStatus` (default member; administrator in channels) and `botRights`;
    /// a private chat needs `userID`.
    public func createChat(
        type: String,
        title: String? = nil,
        username: String? = nil,
        id: Int64? = nil,
        userID: Int64? = nil,
        creator: Int64? = nil,
        botStatus: String? = nil,
        botRights: [String] = []
    ) async throws -> Chat {
        var body: [String: JSONValue] = ["type": .string(type)]
        body["title"] = title.map(JSONValue.string)
        body["username"] = username.map(JSONValue.string)
        body["id"] = id.map(JSONValue.int)
        body["user_id"] = userID.map(JSONValue.int)
        body["creator"] = creator.map(JSONValue.int)
        body["bot_status"] = botStatus.map(JSONValue.string)
        if !botRights.isEmpty {
            body["bot_rights"] = .object(Dictionary(uniqueKeysWithValues: botRights.map { ($0, true) }))
        }
        let json = try await call(.POST, "chats", body: .object(body))
        return Chat(id: json["id"]?.int ?? 0, json: json)
    }

    /// Sets a member's status (`POST /control/chats/{id}/members`); works for the bot itself too.
    ///
    /// `rights` are administrator rights (`can_delete_messages`, …); `permissions` those a restricted
    /// member keeps; `untilDate` ends a ban or restriction.
    @discardableResult
    public func setMember(
        _ userID: Int64,
        in chatID: Int64,
        status: String,
        rights: [String] = [],
        permissions: [String] = [],
        untilDate: Int64? = nil,
        promotedBy: Int64? = nil
    ) async throws -> JSONValue {
        var body: [String: JSONValue] = ["user_id": .int(userID), "status": .string(status)]
        body["rights"] = .object(Dictionary(uniqueKeysWithValues: rights.map { ($0, true) }))
        body["permissions"] = .object(Dictionary(uniqueKeysWithValues: permissions.map { ($0, true) }))
        body["until_date"] = untilDate.map(JSONValue.int)
        body["promoted_by"] = promotedBy.map(JSONValue.int)
        return try await call(.POST, "chats/\(chatID)/members", body: .object(body))
    }

    /// A member's `ChatMember` (`GET /control/chats/{id}/members/{user}`).
    public func member(_ userID: Int64, in chatID: Int64) async throws -> JSONValue {
        try await call(.GET, "chats/\(chatID)/members/\(userID)")
    }

    // MARK: Events

    /// Posts a message as a user (`POST /control/chats/{id}/messages`) and queues its `message` update.
    ///
    /// `kind` is text (default) or photo, video, sticker, animation, document, voice, audio, video_note,
    /// contact, location, poll, dice, game; `extra` adds any other body field (`forward_from_user`, `date`, …).
    @discardableResult
    public func send(
        from userID: Int64,
        in chatID: Int64,
        text: String? = nil,
        kind: String = "text",
        caption: String? = nil,
        replyTo: Int64? = nil,
        extra: [String: JSONValue] = [:]
    ) async throws -> Message {
        var body = extra
        body["from"] = .int(userID)
        body["kind"] = .string(kind)
        body["text"] = text.map(JSONValue.string)
        body["caption"] = caption.map(JSONValue.string)
        body["reply_to_message_id"] = replyTo.map(JSONValue.int)
        let json = try await call(.POST, "chats/\(chatID)/messages", body: .object(body))
        return Message(id: json["message_id"]?.int ?? 0, json: json)
    }

    /// Edits a message's text as its author (`…/messages/{id}/edit`), queuing `edited_message`.
    @discardableResult
    public func edit(_ messageID: Int64, in chatID: Int64, text: String) async throws -> JSONValue {
        try await call(.POST, "chats/\(chatID)/messages/\(messageID)/edit", body: ["text": .string(text)])
    }

    /// The messages still visible in a chat, oldest first (`GET /control/chats/{id}/messages`).
    public func messages(in chatID: Int64) async throws -> [JSONValue] {
        try await call(.GET, "chats/\(chatID)/messages").array ?? []
    }

    /// A user joins (`…/join`): `new_chat_members` service message and `chat_member` update, which names
    /// an invite link when `viaLink` is set.
    @discardableResult
    public func join(_ userID: Int64, _ chatID: Int64, viaLink: Bool = false) async throws -> JSONValue {
        try await call(.POST, "chats/\(chatID)/join", body: ["user_id": .int(userID), "via_link": .bool(viaLink)])
    }

    /// A user leaves (`…/leave`).
    @discardableResult
    public func leave(_ userID: Int64, _ chatID: Int64) async throws -> JSONValue {
        try await call(.POST, "chats/\(chatID)/leave", body: ["user_id": .int(userID)])
    }

    /// A user asks to join (`…/join_request`), queuing `chat_join_request`.
    @discardableResult
    public func joinRequest(_ userID: Int64, _ chatID: Int64) async throws -> JSONValue {
        try await call(.POST, "chats/\(chatID)/join_request", body: ["user_id": .int(userID)])
    }

    /// Upgrades a group to a supergroup (`…/migrate`); returns the new chat id.
    public func migrate(_ chatID: Int64) async throws -> Int64 {
        try await call(.POST, "chats/\(chatID)/migrate")["chat_id"]?.int ?? 0
    }

    /// A user presses an inline button (`POST /control/callback`); returns the `CallbackQuery` (its `id`).
    @discardableResult
    public func pressButton(from userID: Int64, chatID: Int64, messageID: Int64, data: String) async throws -> JSONValue
    {
        try await call(
            .POST,
            "callback",
            body: ["from": .int(userID), "chat_id": .int(chatID), "message_id": .int(messageID), "data": .string(data)]
        )
    }

    /// Whether a callback query was answered, and how (`GET /control/callbacks/{id}`).
    public func callbackQuery(_ id: String) async throws -> JSONValue {
        try await call(.GET, "callbacks/\(id)")
    }

    /// Queues a raw Update given without `update_id` (`POST /control/updates`); nil when allowed_updates filtered it.
    @discardableResult
    public func inject(_ update: JSONValue) async throws -> Int64? {
        try await call(.POST, "updates", body: update)["update_id"]?.int
    }

    // MARK: Benchmarks

    /// Many supergroups with the bot an administrator, and their users, without updates
    /// (`POST /control/bench/seed`); user `u` is in group `u % groups` and the first `groups` users own them.
    public func seedBench(
        groups: Int,
        users: Int,
        usernamePrefix: String = "bench"
    ) async throws -> TelegramSimulator.BenchWorld {
        let body: JSONValue = [
            "groups": .int(Int64(groups)), "users": .int(Int64(users)), "username_prefix": .string(usernamePrefix),
        ]
        return try TelegramSimulator.BenchWorld(json: try await call(.POST, "bench/seed", body: body))
    }

    /// Posts the messages in order, all before the next `getUpdates` is answered (`POST /control/bench/posts`);
    /// returns each one's message id, nil where Telegram refused it.
    /// More than `postsPerRequest` go in several requests (the bot may take the first ones meanwhile).
    public func post(_ posts: [TelegramSimulator.BenchPost]) async throws -> [Int64?] {
        var ids: [Int64?] = []
        for start in stride(from: 0, to: posts.count, by: Self.postsPerRequest) {
            let chunk = posts[start..<min(start + Self.postsPerRequest, posts.count)]
            // Serialized one by one: a backlog as one JSON tree would weigh on the caller's memory.
            var body = Array(#"{"posts":["#.utf8)
            for (index, post) in chunk.enumerated() {
                if index > 0 { body.append(UInt8(ascii: ",")) }
                body += post.json.serialized()
            }
            body += Array("]}".utf8)
            let answer = try await call(.POST, "bench/posts", bytes: body, timeout: .seconds(600))
            ids += answer.array?.map(\.int) ?? []
        }
        return ids
    }

    /// About 10 MB of JSON: well inside the simulator's 50 MB cap on a request body.
    static let postsPerRequest = 100_000

    // MARK: Observation and faults

    /// Recorded Bot API calls after `since`, optionally of one method (`GET /control/calls`).
    public func calls(since: Int = 0, method: String? = nil) async throws -> [JSONValue] {
        var path = "calls?since=\(since)"
        if let method { path += "&method=\(method)" }
        return try await call(.GET, path).array ?? []
    }

    /// Counters: updates queued and delivered, calls, 429s sent, … (`GET /control/state`).
    public func state() async throws -> JSONValue { try await call(.GET, "state") }

    /// Arms a fault for the next `count` Bot API requests, optionally only for some methods (`POST /control/faults`).
    public func fault(
        _ kind: Fault.Kind,
        count: Int = 1,
        methods: [String]? = nil,
        seconds: Double? = nil,
        retryAfter: Int? = nil
    ) async throws {
        var body: [String: JSONValue] = ["kind": .string(kind.rawValue), "count": .int(Int64(count))]
        body["methods"] = methods.map { .array($0.map(JSONValue.string)) }
        body["seconds"] = seconds.map(JSONValue.double)
        body["retry_after"] = retryAfter.map { .int(Int64($0)) }
        _ = try await call(.POST, "faults", body: .object(body))
    }

    /// Disarms every fault (`DELETE /control/faults`).
    public func clearFaults() async throws { _ = try await call(.DELETE, "faults") }

    /// Any control endpoint (`GET`, `POST` or `DELETE` on `/control/<path>`), for callers that build bodies
    /// themselves, such as plugin specs; returns the envelope's `result`.
    public func request(_ method: String, _ path: String, body: JSONValue? = nil) async throws -> JSONValue {
        try await call(HTTPMethod(rawValue: method), path, body: body)
    }

    private func call(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil) async throws -> JSONValue {
        try await call(method, path, bytes: body?.serialized())
    }

    private func call(
        _ method: HTTPMethod,
        _ path: String,
        bytes body: [UInt8]?,
        timeout: TimeAmount = .seconds(30)
    ) async throws -> JSONValue {
        var request = HTTPClientRequest(url: "\(baseURL)/control/\(path)")
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(body)
        }
        let response = try await client.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 64 << 20)
        let envelope = try JSONValue(parsing: Array(bytes.readableBytesView))
        guard envelope["ok"]?.bool == true else {
            throw SimulatorControlError(
                status: Int(response.status.code),
                description: envelope["description"]?.string ?? "\(envelope)"
            )
        }
        return envelope["result"] ?? .null
    }
}

/// A control API request the simulator refused.
public struct SimulatorControlError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The HTTP status (400 bad request, 403 not allowed, 404 unknown chat/user/message, 409 conflict).
    public let status: Int
    /// The simulator's explanation.
    public let description: String
}
