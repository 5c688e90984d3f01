import BotAPISpec
import WardenJSON

extension SimulatorState {
    func forwardMessage(_ params: [String: JSONValue]) throws(APIError) -> JSONValue {
        let source = try sourceMessage(params, id: params["message_id"]?.int, verb: "forward")
        return .object(try repost(source, params, forward: true).json)
    }

    func copyMessage(_ params: [String: JSONValue]) throws(APIError) -> JSONValue {
        let source = try sourceMessage(params, id: params["message_id"]?.int, verb: "copy")
        return ["message_id": .int(try repost(source, params, forward: false).id)]
    }

    /// forwardMessages and copyMessages: missing ids are skipped; the result lists the new `MessageId`s.
    func forwardOrCopyMessages(_ method: String, _ params: [String: JSONValue]) throws(APIError) -> JSONValue {
        let from = try resolveChat(params["from_chat_id"])
        try requireBotAccess(from)
        var ids: [JSONValue] = []
        for id in (params["message_ids"]?.array ?? []).compactMap(\.int).sorted() {
            guard let message = from.messages[id] else { continue }
            let copy = try repost(message, params, forward: method == "forwardMessages")
            ids.append(["message_id": .int(copy.id)])
        }
        return .array(ids)
    }

    private func sourceMessage(_ params: [String: JSONValue], id: Int64?, verb: String) throws(APIError) -> SimMessage {
        let from = try resolveChat(params["from_chat_id"])
        try requireBotAccess(from)
        guard let id, let message = from.messages[id] else { throw .badRequest("message to \(verb) not found") }
        guard !message.isService else {
            throw .badRequest("message can't be \(verb == "copy" ? "copied" : "forwarded")")
        }
        if message.json["has_protected_content"]?.bool == true {
            throw .badRequest("message can't be \(verb == "copy" ? "copied" : "forwarded")")
        }
        return message
    }

    /// Posts a message's content into `chat_id`, with `forward_origin` when forwarding.
    private func repost(
        _ source: SimMessage,
        _ params: [String: JSONValue],
        forward: Bool
    ) throws(APIError) -> SimMessage {
        let chat = try resolveChat(params["chat_id"])
        let kind = Self.mediaKinds.first { source.json[$0] != nil }
        try requireCanSend(chat, method: kind.map { "send" + $0.filter { $0 != "_" } } ?? "sendMessage")
        guard var message = newMessage(in: chat.id, from: chat.kind == .channel ? nil : botID) else {
            throw APIError.chatNotFound
        }
        if chat.kind == .channel { message.json["sender_chat"] = chat.json }
        for key in Self.contentKeys { if let value = source.json[key] { message.json[key] = value } }
        if forward {
            message.json["forward_origin"] = origin(of: source)
        } else if let caption = params["caption"]?.string {
            let parsed = formatted(caption, mode: params["parse_mode"]?.string, entities: params["caption_entities"])
            message.json["caption"] = .string(parsed.text)
            message.json["caption_entities"] = parsed.entities.isEmpty ? nil : .array(parsed.entities)
        }
        if params["protect_content"]?.bool == true { message.json["has_protected_content"] = true }
        message.isDice = source.isDice
        store(message)
        return message
    }

    /// `MessageOrigin` of a forwarded message: the user, the channel, or the chat that sent it.
    private func origin(of message: SimMessage) -> JSONValue {
        let date = JSONValue.int(message.date)
        if let forwarded = message.json["forward_origin"] { return forwarded }
        if let senderChat = message.json["sender_chat"] {
            if senderChat["type"] == "channel" {
                return ["type": "channel", "date": date, "chat": senderChat, "message_id": .int(message.id)]
            }
            return ["type": "chat", "date": date, "sender_chat": senderChat]
        }
        return ["type": "user", "date": date, "sender_user": message.json["from"] ?? userJSON(0)]
    }

    // MARK: Pinning

    private func requirePinRights(_ chat: SimChat) throws(APIError) {
        try requireBotAccess(chat)
        let bot = chat.member(botID)
        let allowed: Bool
        switch chat.kind {
        case .private: allowed = true
        case .group: allowed = bot.status.isAdmin
        case .supergroup: allowed = bot.has("can_pin_messages")
        case .channel: allowed = bot.has("can_edit_messages")
        }
        guard allowed else { throw .badRequest("not enough rights to manage pinned messages in the chat") }
    }

    func pinChatMessage(_ params: [String: JSONValue]) throws(APIError) -> JSONValue {
        let chat = try resolveChat(params["chat_id"])
        try requirePinRights(chat)
        guard let id = params["message_id"]?.int, let pinned = chat.messages[id] else {
            throw .badRequest("message to pin not found")
        }
        chats[chat.id]?.pinned.removeAll { $0 == id }
        chats[chat.id]?.pinned.insert(id, at: 0)
        // Pinning leaves a service message in groups; it is the bot's own, so no update reaches the bot.
        if chat.kind.isGroup, var service = newMessage(in: chat.id, from: botID) {
            service.json["pinned_message"] = embedded(pinned)
            service.isService = true
            store(service)
        }
        return true
    }

    func unpinChatMessage(_ params: [String: JSONValue]) throws(APIError) -> JSONValue {
        let chat = try resolveChat(params["chat_id"])
        try requirePinRights(chat)
        guard let id = params["message_id"]?.int ?? chat.pinned.first else { return true }
        guard chat.pinned.contains(id) else { throw .badRequest("message to unpin not found") }
        chats[chat.id]?.pinned.removeAll { $0 == id }
        return true
    }
}
