public import WardenJSON

/// One incoming update, kept whole.
///
/// `raw` is the update exactly as received, so unknown kinds and fields reach
/// plugins untouched; the typed views decode on demand and are nil when the
/// content is of another kind or malformed. Only a missing `update_id` makes an
/// update unusable.
public struct Update: Sendable, Equatable {
    public let updateID: Int64
    /// The name of the content field: `message`, `callback_query`, … or a kind newer than this code.
    public let kind: String
    public let raw: JSONValue

    /// Nil when there is no integer `update_id`.
    public init?(json: JSONValue) {
        guard case .object(let fields) = json, let id = fields["update_id"]?.int else { return nil }
        updateID = id
        kind = Self.kind(of: fields) ?? "unknown"
        raw = json
    }

    /// The content field of an update's fields: the first by name other than `update_id` (Telegram sends one),
    /// found without sorting or copying the names, since every update is looked at this way on its way in.
    public static func kind(of fields: [String: JSONValue]) -> String? {
        var first: String?
        for name in fields.keys where name != "update_id" {
            if first.map({ name < $0 }) ?? true { first = name }
        }
        return first
    }

    /// The chat an update's content is in: a message's own chat; for the other kinds (callback queries, …)
    /// the chat of the message they are about, if any.
    public static func chatID(ofContent payload: JSONValue) -> Int64? {
        payload["chat"]?["id"]?.int ?? payload["message"]?["chat"]?["id"]?.int
    }

    /// The content field's value.
    public var payload: JSONValue? { raw[kind] }

    public var message: Message? { decoded("message") }
    public var editedMessage: Message? { decoded("edited_message") }
    public var channelPost: Message? { decoded("channel_post") }
    public var callbackQuery: CallbackQuery? { decoded("callback_query") }
    public var chatMember: ChatMemberUpdated? { decoded("chat_member") }
    public var myChatMember: ChatMemberUpdated? { decoded("my_chat_member") }
    public var chatJoinRequest: ChatJoinRequest? { decoded("chat_join_request") }

    private func decoded<Model: Decodable>(_ field: String) -> Model? {
        guard let value = raw[field] else { return nil }
        return try? JSONModelDecoding.decode(Model.self, from: value)
    }
}

/// A `getUpdates` answer: its updates, and the bytes they came in.
///
/// The poller asks for the next batch while this one is handled, and that call confirms this one to Telegram,
/// which then forgets it; until it is handled, the bytes are kept in Redis, and read back with
/// ``init(body:)`` by a process that takes over after a crash.
public struct UpdateBatch: Sendable {
    public let updates: [Update]
    public let body: [UInt8]

    /// Reads a stored answer back.
    public init(body: [UInt8]) throws(BotAPIError) {
        try self.init(result: BotAPIClient.result(of: body, status: 200, method: "getUpdates"), body: body)
    }

    init(result: JSONValue, body: [UInt8]) throws(BotAPIError) {
        guard let items = result.array else {
            throw BotAPIError(kind: .decoding, method: "getUpdates", text: "result is not an array")
        }
        updates = items.compactMap(Update.init(json:))
        self.body = body
    }

    /// The offset that confirms this batch: one past its last update (the same offset again when it is empty).
    public func offset(after previous: Int64) -> Int64 {
        guard let last = updates.last?.updateID else { return previous }
        return last < .max ? last + 1 : .max  // a hostile id must not trap
    }
}
