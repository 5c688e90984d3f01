/// Telegram's moderation rules as pure functions of the state, so they are testable without a server.
enum Rules {
    static let fortyEightHours: Int64 = 48 * 3600
    static let day: Int64 = 24 * 3600

    /// deleteMessage's documented limitations, in the reference's order.
    ///
    /// Service messages about creating a supergroup or channel never go; a dice in a private chat stays for
    /// 24 hours; nothing older than 48 hours goes, except the bot's own messages in a private chat; the bot
    /// deletes its own messages anywhere it can write, incoming ones in private chats, anything in a group
    /// where it is an administrator, and anything in a supergroup or channel with `can_delete_messages`
    /// (its own channel posts need `can_post_messages`).
    static func canDelete(_ message: SimMessage, in chat: SimChat, botID: Int64, now: Int64) -> Bool {
        if message.isCreationService { return false }
        let age = now - message.date
        let outgoing = message.senderID == botID && message.json["sender_chat"] == nil
        let bot = chat.member(botID)
        switch chat.kind {
        case .private:
            if message.isDice && !outgoing && age < day { return false }
            return outgoing || age < fortyEightHours
        case .group:
            guard age < fortyEightHours else { return false }
            return outgoing || bot.status.isAdmin
        case .supergroup:
            guard age < fortyEightHours else { return false }
            return outgoing || bot.has("can_delete_messages")
        case .channel:
            guard age < fortyEightHours else { return false }
            return bot.has("can_delete_messages") || (outgoing && bot.has("can_post_messages"))
        }
    }

    /// `until_date` less than 30 seconds or more than 366 days away means forever (0), as documented.
    static func normalizedUntil(_ until: Int64?, now: Int64) -> Int64 {
        guard let until, until > 0 else { return 0 }
        let delta = until - now
        return delta < 30 || delta > 366 * day ? 0 : until
    }

    /// The permissions a member actually has: a restricted member keeps only what both they and the chat allow.
    static func effectivePermissions(_ member: SimMember, in chat: SimChat, all: [String]) -> Set<String> {
        switch member.status {
        case .creator, .administrator: Set(all)
        case .member: chat.permissions
        case .restricted: member.permissions.intersection(chat.permissions)
        case .left, .kicked: []
        }
    }

    /// restrictChatMember's implications when `use_independent_chat_permissions` is false.
    ///
    /// `can_send_other_messages` and `can_add_web_page_previews` imply every media permission and
    /// `can_send_messages`; any media permission or `can_send_polls` implies `can_send_messages`.
    static func applyingImplications(_ granted: Set<String>, independent: Bool) -> Set<String> {
        guard !independent else { return granted }
        var result = granted
        let media: Set<String> = [
            "can_send_audios", "can_send_documents", "can_send_photos", "can_send_videos", "can_send_video_notes",
            "can_send_voice_notes",
        ]
        if !result.isDisjoint(with: ["can_send_other_messages", "can_add_web_page_previews"]) {
            result.formUnion(media)
            result.insert("can_send_messages")
        }
        if !result.isDisjoint(with: media.union(["can_send_polls"])) { result.insert("can_send_messages") }
        return result
    }

    /// The permission a sending method needs and the noun Telegram's refusal uses.
    static func sendPermission(for method: String) -> (permission: String, noun: String) {
        switch method.lowercased() {
        case "sendphoto": ("can_send_photos", "photos")
        case "sendvideo": ("can_send_videos", "videos")
        case "sendaudio": ("can_send_audios", "audio files")
        case "senddocument": ("can_send_documents", "documents")
        case "sendvoice": ("can_send_voice_notes", "voice notes")
        case "sendvideonote": ("can_send_video_notes", "video notes")
        case "sendpoll": ("can_send_polls", "polls")
        case "sendsticker": ("can_send_other_messages", "stickers")
        case "sendanimation": ("can_send_other_messages", "animations")
        case "senddice", "sendgame": ("can_send_other_messages", "dice and games")
        default: ("can_send_messages", "text messages")
        }
    }

    /// The permission a message kind needs, for messages sent by members through the control API.
    static func sendPermission(forKind kind: String) -> String {
        switch kind {
        case "photo": "can_send_photos"
        case "video": "can_send_videos"
        case "audio": "can_send_audios"
        case "document": "can_send_documents"
        case "voice": "can_send_voice_notes"
        case "video_note": "can_send_video_notes"
        case "poll": "can_send_polls"
        case "sticker", "animation", "dice", "game": "can_send_other_messages"
        default: "can_send_messages"
        }
    }
}
