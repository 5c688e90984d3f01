import BotAPISpec
import WardenJSON

/// Messages people (and other bots, and channels) post: what a bot under test receives as updates.
extension SimulatorState {
    /// Posts a message as `from` (a user id) or `sender_chat` (a chat id), checking the sender may post here.
    func postMessage(chatID: Int64, _ body: JSONValue) throws(ControlError) -> JSONValue {
        let (message, updateKind) = try composeMessage(chatID: chatID, body)
        // Stored once `composeMessage`'s copy of the chat is gone: while a copy shares the chat's messages,
        // storing one would copy all of them (a backlog of 100,000 posts made that quadratic).
        store(message)
        if let updateKind { emit(updateKind, .object(message.json), key: chatID) }
        return .object(message.json)
    }

    /// The message the body describes, not stored yet, and the kind of update the bot gets for it (nil when the
    /// bot does not see it).
    private func composeMessage(
        chatID: Int64,
        _ body: JSONValue
    ) throws(ControlError) -> (SimMessage, updateKind: String?) {
        let chat = try chatForControl(chatID)
        let kind = body["kind"]?.string ?? "text"
        guard kind == "text" || Self.mediaKinds.contains(kind) else {
            throw ControlError(400, "kind must be text or one of \(Self.mediaKinds.joined(separator: ", "))")
        }
        var senderID: Int64?
        var senderChat: JSONValue?
        if let chatSender = body["sender_chat"]?.int {
            guard let sender = chats[chatSender] else { throw ControlError(404, "no chat \(chatSender)") }
            senderChat = sender.json
        } else {
            let user = try userForControl(body["from"])
            try requireMaySend(user.id, in: chat, kind: kind)
            senderID = user.id
        }
        guard var message = newMessage(in: chatID, from: senderID, date: body["date"]?.int) else {
            throw ControlError(404, "no chat \(chatID)")
        }
        if let senderChat {
            message.json["sender_chat"] = senderChat
            // Telegram's fake sender for messages on behalf of a chat outside channels (for old clients).
            if chat.kind != .channel { message.json["from"] = Self.fakeSender(for: senderChat, in: chatID) }
        }
        try fillContent(&message, kind: kind, body)
        try fillContext(&message, in: chat, body)
        message.isDice = kind == "dice"
        guard botReceives(message, in: chat) else { return (message, nil) }
        return (message, chat.kind == .channel ? "channel_post" : "message")
    }

    /// `from` of a message sent on behalf of a chat: GroupAnonymousBot when an anonymous admin posts as the
    /// group itself, Channel_Bot when someone posts as a channel.
    static func fakeSender(for senderChat: JSONValue, in chatID: Int64) -> JSONValue {
        if senderChat["id"]?.int == chatID {
            return ["id": 1_087_968_824, "is_bot": true, "first_name": "Group", "username": "GroupAnonymousBot"]
        }
        return ["id": 136_817_688, "is_bot": true, "first_name": "Channel", "username": "Channel_Bot"]
    }

    /// Whether Telegram would deliver this message to the bot: it must be in the chat (and not blocked), and
    /// with privacy mode a non-admin bot in a group sees only commands, replies to it, mentions and service messages.
    func botReceives(_ message: SimMessage, in chat: SimChat) -> Bool {
        let bot = chat.member(botID)
        if chat.kind == .private { return bot.status != .kicked }
        guard bot.status.isPresent || (bot.status == .restricted && bot.isMember) else { return false }
        guard configuration.privacyMode, chat.kind.isGroup, !bot.status.isAdmin, !message.isService else { return true }
        if message.json["reply_to_message"]?["from"]?["id"]?.int == botID { return true }
        let text = (message.json["text"] ?? message.json["caption"])?.string ?? ""
        return text.hasPrefix("/") || text.lowercased().contains("@\(configuration.botUsername.lowercased())")
    }

    /// Members who left, were banned or are muted cannot post; the refusal names the reason.
    private func requireMaySend(_ userID: Int64, in chat: SimChat, kind: String) throws(ControlError) {
        let member = chat.member(userID)
        if chat.kind == .private {
            guard userID == chat.id || userID == botID else {
                throw ControlError(403, "user \(userID) is not a party to private chat \(chat.id)")
            }
            return
        }
        switch member.status {
        case .kicked: throw ControlError(403, "user \(userID) is banned from chat \(chat.id)")
        case .left: throw ControlError(403, "user \(userID) is not a member of chat \(chat.id)")
        case .restricted where !member.isMember:
            throw ControlError(403, "user \(userID) is not a member of chat \(chat.id)")
        default: break
        }
        if chat.kind == .channel && !member.status.isAdmin {
            throw ControlError(403, "only administrators post in channel \(chat.id)")
        }
        let permission = Rules.sendPermission(forKind: kind)
        guard Rules.effectivePermissions(member, in: chat, all: permissionNames).contains(permission) else {
            let until = member.untilDate > 0 ? " until \(member.untilDate)" : ""
            throw ControlError(
                403,
                "user \(userID) may not send \(kind) in chat \(chat.id): \(permission) is false\(until)"
            )
        }
    }

    private func fillContent(_ message: inout SimMessage, kind: String, _ body: JSONValue) throws(ControlError) {
        if kind == "text" {
            guard let text = body["text"]?.string, !text.isEmpty else { throw ControlError(400, "text is required") }
            message.json["text"] = .string(text)
            let entities = body["entities"]?.array ?? TextEntities.detect(text)
            if !entities.isEmpty { message.json["entities"] = .array(entities) }
            return
        }
        var payload: JSONValue
        switch kind {
        case "dice": payload = ["emoji": "🎲", "value": .int(message.id % 6 + 1)]
        case "contact": payload = ["phone_number": "+10000000000", "first_name": "Contact"]
        case "location": payload = ["latitude": 51.5, "longitude": -0.12]
        case "poll": payload = SpecSampler(spec: spec, serial: "\(message.id)").sampleObject("Poll")
        case "game": payload = SpecSampler(spec: spec).sampleObject("Game", overrides: ["photo": []])
        default: payload = media(kind, fileID: body["file_id"]?.string, serial: message.id)
        }
        // "media" overrides or adds fields of the generated object, e.g. a sticker's set_name.
        if let overrides = body["media"]?.object, var object = payload.object {
            for (key, value) in overrides { object[key] = value }
            payload = .object(object)
        }
        message.json[kind] = payload
        if let caption = body["caption"]?.string {
            message.json["caption"] = .string(caption)
            let entities = body["caption_entities"]?.array ?? TextEntities.detect(caption)
            if !entities.isEmpty { message.json["caption_entities"] = .array(entities) }
        }
        if let violation = spec.validate(.object(message.json), asType: "Message") {
            throw ControlError(400, "the message would not be a valid Message: \(violation.description)")
        }
    }

    private func fillContext(_ message: inout SimMessage, in chat: SimChat, _ body: JSONValue) throws(ControlError) {
        if let replyID = body["reply_to_message_id"]?.int {
            guard let target = chat.messages[replyID] else {
                throw ControlError(404, "no message \(replyID) in chat \(chat.id)")
            }
            message.json["reply_to_message"] = embedded(target)
        }
        let date = JSONValue.int(message.date - 60)
        if let userID = body["forward_from_user"]?.int {
            message.json["forward_origin"] = ["type": "user", "date": date, "sender_user": userJSON(userID)]
        } else if let origin = body["forward_from_chat"]?.int {
            guard let source = chats[origin] else { throw ControlError(404, "no chat \(origin)") }
            message.json["forward_origin"] =
                source.kind == .channel
                ? ["type": "channel", "date": date, "chat": source.json, "message_id": 1]
                : ["type": "chat", "date": date, "sender_chat": source.json]
        }
        if let group = body["media_group_id"]?.string { message.json["media_group_id"] = .string(group) }
        if let via = body["via_bot"]?.int { message.json["via_bot"] = userJSON(via) }
        if let markup = body["reply_markup"] { message.json["reply_markup"] = markup }
    }

    /// A user edits their message: `edited_message` (or `edited_channel_post`) with the new text.
    func editMessage(chatID: Int64, messageID: Int64, _ body: JSONValue) throws(ControlError) -> JSONValue {
        let chat = try chatForControl(chatID)
        guard var message = chat.messages[messageID] else {
            throw ControlError(404, "no message \(messageID) in chat \(chatID)")
        }
        guard let text = body["text"]?.string, !text.isEmpty else { throw ControlError(400, "text is required") }
        let key = message.json["text"] != nil ? "text" : "caption"
        message.json[key] = .string(text)
        let entities = body["entities"]?.array ?? TextEntities.detect(text)
        message.json[key == "text" ? "entities" : "caption_entities"] = entities.isEmpty ? nil : .array(entities)
        message.json["edit_date"] = .int(max(nowSeconds, message.date))
        store(message)
        if botReceives(message, in: chat) {
            emit(chat.kind == .channel ? "edited_channel_post" : "edited_message", .object(message.json), key: chatID)
        }
        return .object(message.json)
    }
}
