import BotAPISpec
import WardenJSON

extension SimulatorState {
    /// Message fields that are content, copied by forwardMessage and copyMessage.
    static let contentKeys: Set<String> = [
        "text", "entities", "photo", "sticker", "document", "video", "animation", "voice", "audio", "video_note",
        "caption", "caption_entities", "dice", "location", "contact", "poll", "game", "venue", "has_media_spoiler",
        "show_caption_above_media", "link_preview_options",
    ]

    /// The message kinds besides text, as Message field names.
    static let mediaKinds = [
        "photo", "sticker", "document", "video", "animation", "voice", "audio", "video_note", "dice", "location",
        "contact", "poll", "game", "venue",
    ]

    /// The bot may post here: present, not muted for this kind of content, an admin with can_post_messages in a channel.
    func requireCanSend(_ chat: SimChat, method: String) throws(APIError) {
        try requireBotAccess(chat)
        let bot = chat.member(botID)
        if chat.kind == .channel {
            guard bot.has("can_post_messages") else {
                throw .badRequest("need administrator rights in the channel chat")
            }
            return
        }
        guard chat.kind != .private else { return }
        let (permission, noun) = Rules.sendPermission(for: method)
        if !Rules.effectivePermissions(bot, in: chat, all: permissionNames).contains(permission) {
            throw .badRequest("not enough rights to send \(noun) to the chat")
        }
    }

    func send(_ method: String, _ params: [String: JSONValue]) throws(APIError) -> JSONValue {
        let chat = try resolveChat(params["chat_id"])
        try requireCanSend(chat, method: method)
        let reply = try replyTarget(params, in: chat)
        guard var message = newMessage(in: chat.id, from: chat.kind == .channel ? nil : botID) else {
            throw APIError.chatNotFound
        }
        if chat.kind == .channel { message.json["sender_chat"] = chat.json }
        for (key, value) in try content(for: method, params, serial: message.id) { message.json[key] = value }
        if let reply { message.json["reply_to_message"] = embedded(reply) }
        if let markup = params["reply_markup"], markup["inline_keyboard"] != nil {
            message.json["reply_markup"] = markup
        }
        if params["protect_content"]?.bool == true { message.json["has_protected_content"] = true }
        message.isDice = method == "sendDice"
        store(message)
        return .object(message.json)
    }

    /// The message `reply_parameters` points at, or nil; "message to be replied not found" unless allowed.
    private func replyTarget(_ params: [String: JSONValue], in chat: SimChat) throws(APIError) -> SimMessage? {
        guard let reply = params["reply_parameters"], let id = reply["message_id"]?.int else { return nil }
        var target = chat
        if let other = reply["chat_id"] { target = try resolveChat(other) }
        if let message = target.messages[id] { return message }
        if reply["allow_sending_without_reply"]?.bool == true { return nil }
        throw .badRequest("message to be replied not found")
    }

    /// The content fields of a sent message: text with parsed entities, or media from a file_id.
    private func content(
        for method: String,
        _ params: [String: JSONValue],
        serial: Int64
    ) throws(APIError) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [:]
        if let text = params["text"]?.string {
            let parsed = formatted(text, mode: params["parse_mode"]?.string, entities: params["entities"])
            fields["text"] = .string(parsed.text)
            if !parsed.entities.isEmpty { fields["entities"] = .array(parsed.entities) }
        }
        if let caption = params["caption"]?.string {
            let parsed = formatted(caption, mode: params["parse_mode"]?.string, entities: params["caption_entities"])
            fields["caption"] = .string(parsed.text)
            if !parsed.entities.isEmpty { fields["caption_entities"] = .array(parsed.entities) }
        }
        let kind = String(method.dropFirst(4)).snakeCased
        switch kind {
        case "message": break
        case "dice":
            let emoji = params["emoji"]?.string ?? "🎲"
            let faces: Int64 = emoji == "🎰" ? 64 : (emoji == "🏀" || emoji == "⚽") ? 5 : 6
            fields["dice"] = ["emoji": .string(emoji), "value": .int(serial % faces + 1)]
        case "location":
            fields["location"] = ["latitude": params["latitude"] ?? 0, "longitude": params["longitude"] ?? 0]
        case "contact":
            var contact: [String: JSONValue] = [
                "phone_number": params["phone_number"] ?? "", "first_name": params["first_name"] ?? "",
            ]
            if let last = params["last_name"] { contact["last_name"] = last }
            fields["contact"] = .object(contact)
        case "poll":
            let options = (params["options"]?.array ?? []).enumerated().map { index, option -> JSONValue in
                ["persistent_id": .string("\(index)"), "text": option["text"] ?? "", "voter_count": 0]
            }
            var poll = SpecSampler(spec: spec, serial: "\(serial)").sampleObject("Poll").object ?? [:]
            poll["question"] = params["question"] ?? ""
            poll["options"] = .array(options)
            poll["type"] = params["type"] ?? "regular"
            poll["is_anonymous"] = params["is_anonymous"] ?? true
            fields["poll"] = .object(poll)
        default:
            fields[kind] = media(kind, fileID: params[kind]?.string, serial: serial)
        }
        return fields
    }

    /// A media object of the kind's type (`Array of PhotoSize` for photos) built from the reference.
    func media(_ kind: String, fileID: String?, serial: Int64) -> JSONValue {
        let sampler = SpecSampler(spec: spec, serial: "\(kind)-\(serial)")
        let id: JSONValue = .string(
            fileID.flatMap { $0.hasPrefix("attach://") || $0.contains("://") ? nil : $0 } ?? "sim-\(kind)-\(serial)"
        )
        let unique: JSONValue = .string("sim-unique-\(kind)-\(serial)")
        if kind == "photo" {
            return [
                ["file_id": id, "file_unique_id": unique, "width": 90, "height": 90, "file_size": 1_024],
                ["file_id": id, "file_unique_id": unique, "width": 1_280, "height": 1_280, "file_size": 65_536],
            ]
        }
        guard let field = spec.type(named: "Message")?.field(named: kind), case .named(let type) = field.types.first
        else { return .object([:]) }
        return sampler.sampleObject(type, overrides: ["file_id": id, "file_unique_id": unique])
    }

    func formatted(_ text: String, mode: String?, entities: JSONValue?) -> FormattedText {
        if let entities = entities?.array { return FormattedText(text: text, entities: entities) }
        guard let mode, case .success(let parsed) = FormattedText.parse(text, mode: mode) else {
            return FormattedText(text: text, entities: [])
        }
        return parsed
    }

    func editMessageText(_ params: [String: JSONValue]) throws(APIError) -> JSONValue {
        if params["inline_message_id"] != nil { throw .badRequest("MESSAGE_ID_INVALID") }
        let chat = try resolveChat(params["chat_id"])
        try requireBotAccess(chat)
        guard let id = params["message_id"]?.int else { throw .badRequest("message identifier is not specified") }
        guard var message = chat.messages[id] else { throw .badRequest("message to edit not found") }
        let isOwnPost = chat.kind == .channel && chat.member(botID).has("can_edit_messages")
        guard message.senderID == botID || isOwnPost else { throw .badRequest("message can't be edited") }
        guard message.text != nil else { throw .badRequest("there is no text in the message to edit") }
        let parsed = formatted(
            params["text"]?.string ?? "",
            mode: params["parse_mode"]?.string,
            entities: params["entities"]
        )
        let entities: JSONValue? = parsed.entities.isEmpty ? nil : .array(parsed.entities)
        let markup = params["reply_markup"]
        if message.json["text"] == .string(parsed.text) && message.json["entities"] == entities
            && message.json["reply_markup"] == markup
        {
            throw .badRequest(
                "message is not modified: specified new message content and reply markup are exactly the same as a "
                    + "current content and reply markup of the message"
            )
        }
        message.json["text"] = .string(parsed.text)
        message.json["entities"] = entities
        message.json["reply_markup"] = markup
        message.json["edit_date"] = .int(nowSeconds)
        store(message)
        return .object(message.json)
    }

    func deleteMessage(_ params: [String: JSONValue]) throws(APIError) -> JSONValue {
        let chat = try resolveChat(params["chat_id"])
        try requireBotAccess(chat)
        guard let id = params["message_id"]?.int, let message = chat.messages[id] else {
            throw .badRequest("message to delete not found")
        }
        guard Rules.canDelete(message, in: chat, botID: botID, now: nowSeconds) else {
            throw .badRequest("message can't be deleted")
        }
        remove([id], from: chat.id)
        return true
    }

    /// Missing ids are skipped; if any message that exists may not be deleted, nothing is deleted.
    func deleteMessages(_ params: [String: JSONValue]) throws(APIError) -> JSONValue {
        let chat = try resolveChat(params["chat_id"])
        try requireBotAccess(chat)
        let found = (params["message_ids"]?.array ?? []).compactMap { $0.int.flatMap { chat.messages[$0] } }
        for message in found where !Rules.canDelete(message, in: chat, botID: botID, now: nowSeconds) {
            throw .badRequest("message can't be deleted")
        }
        remove(found.map(\.id), from: chat.id)
        return true
    }

    func remove(_ ids: [Int64], from chatID: Int64) {
        for id in ids {
            chats[chatID]?.messages[id] = nil
            chats[chatID]?.pinned.removeAll { $0 == id }
        }
    }
}

extension String {
    /// "VideoNote" → "video_note", for mapping sendX methods to Message fields.
    var snakeCased: String {
        var result = ""
        for character in self {
            if character.isUppercase {
                if !result.isEmpty { result.append("_") }
                result.append(contentsOf: character.lowercased())
            } else {
                result.append(character)
            }
        }
        return result
    }
}
