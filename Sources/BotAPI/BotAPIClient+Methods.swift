public import WardenJSON

/// Typed helpers for the calls the runtime makes itself; `call` covers every other method.
extension BotAPIClient {
    public func getMe() async throws(BotAPIError) -> User {
        try decode(User.self, try await call("getMe"), method: "getMe")
    }

    /// Long polling: waits up to `timeout` seconds for updates at or after `offset`.
    /// Updates without an `update_id` (never sent by Telegram) are skipped.
    public func getUpdates(
        offset: Int64?,
        limit: Int = 100,
        timeout: Int = 30,
        allowedUpdates: [String]?
    )
        async throws(BotAPIError) -> [Update]
    {
        try await fetchUpdates(offset: offset, limit: limit, timeout: timeout, allowedUpdates: allowedUpdates).updates
    }

    /// `getUpdates`, with the answer as it came: a poller that keeps a batch until it is handled stores these
    /// bytes rather than writing the updates out again.
    public func fetchUpdates(
        offset: Int64?,
        limit: Int = 100,
        timeout: Int = 30,
        allowedUpdates: [String]?
    )
        async throws(BotAPIError) -> UpdateBatch
    {
        var params: [String: JSONValue] = ["limit": .int(Int64(limit)), "timeout": .int(Int64(timeout))]
        if let offset { params["offset"] = .int(offset) }
        if let allowedUpdates { params["allowed_updates"] = .array(allowedUpdates.map { .string($0) }) }
        // The HTTP deadline must outlast Telegram's own wait.
        let (result, body) = try await callKeepingBody("getUpdates", params, timeout: .seconds(timeout + 15))
        return try UpdateBatch(result: result, body: body)
    }

    public func setWebhook(
        url: String,
        secretToken: String?,
        maxConnections: Int?,
        allowedUpdates: [String]?,
        dropPendingUpdates: Bool = false,
        certificate: InputFile? = nil
    ) async throws(BotAPIError) -> Bool {
        var params: [String: JSONValue] = ["url": .string(url)]
        if let secretToken { params["secret_token"] = .string(secretToken) }
        if let maxConnections { params["max_connections"] = .int(Int64(maxConnections)) }
        if let allowedUpdates { params["allowed_updates"] = .array(allowedUpdates.map { .string($0) }) }
        if dropPendingUpdates { params["drop_pending_updates"] = true }
        let result =
            if let certificate {
                try await upload("setWebhook", params: params, files: ["certificate": certificate])
            } else {
                try await call("setWebhook", params)
            }
        return result.bool ?? false
    }

    public func deleteWebhook(dropPendingUpdates: Bool) async throws(BotAPIError) -> Bool {
        try await call("deleteWebhook", dropPendingUpdates ? ["drop_pending_updates": true] : [:]).bool ?? false
    }

    public func getWebhookInfo() async throws(BotAPIError) -> JSONValue {
        try await call("getWebhookInfo")
    }

    public func getChatAdministrators(chatID: Int64) async throws(BotAPIError) -> [ChatMember] {
        try decode(
            [ChatMember].self,
            try await call("getChatAdministrators", ["chat_id": .int(chatID)]),
            method: "getChatAdministrators"
        )
    }

    public func getChatMember(chatID: Int64, userID: Int64) async throws(BotAPIError) -> ChatMember {
        try decode(
            ChatMember.self,
            try await call("getChatMember", ["chat_id": .int(chatID), "user_id": .int(userID)]),
            method: "getChatMember"
        )
    }

    public func sendMessage(
        chatID: Int64,
        text: String,
        extra: [String: JSONValue] = [:]
    ) async throws(BotAPIError)
        -> Message
    {
        var params = extra
        params["chat_id"] = .int(chatID)
        params["text"] = .string(text)
        return try decode(Message.self, try await call("sendMessage", params), method: "sendMessage")
    }

    private func decode<Model: Decodable>(
        _ type: Model.Type,
        _ value: JSONValue,
        method: String
    ) throws(BotAPIError)
        -> Model
    {
        do {
            return try JSONModelDecoding.decode(type, from: value)
        } catch {
            throw BotAPIError(kind: .decoding, method: method, text: "unexpected result: \(error)")
        }
    }
}
