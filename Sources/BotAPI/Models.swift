/// A Telegram user or bot.
public struct User: Codable, Sendable, Equatable {
    public var id: Int64
    public var isBot: Bool
    public var firstName: String
    public var lastName: String?
    public var username: String?
    public var languageCode: String?

    enum CodingKeys: String, CodingKey {
        case id, username
        case isBot = "is_bot"
        case firstName = "first_name"
        case lastName = "last_name"
        case languageCode = "language_code"
    }
}

/// A private chat, group, supergroup or channel.
public struct Chat: Codable, Sendable, Equatable {
    public var id: Int64
    /// private, group, supergroup or channel.
    public var type: String
    public var title: String?
    public var username: String?
    public var firstName: String?
    public var lastName: String?

    enum CodingKeys: String, CodingKey {
        case id, type, title, username
        case firstName = "first_name"
        case lastName = "last_name"
    }
}

/// The fields of a message the core reads; everything else stays in the update's raw JSON.
public struct Message: Codable, Sendable, Equatable {
    public var messageID: Int64
    public var date: Int64
    public var chat: Chat
    public var from: User?
    public var senderChat: Chat?
    public var text: String?
    public var caption: String?
    public var mediaGroupID: String?
    public var newChatMembers: [User]?
    public var leftChatMember: User?
    public var migrateToChatID: Int64?
    public var migrateFromChatID: Int64?
    public var replyMarkup: InlineKeyboardMarkup?

    enum CodingKeys: String, CodingKey {
        case date, chat, from, text, caption
        case messageID = "message_id"
        case senderChat = "sender_chat"
        case mediaGroupID = "media_group_id"
        case newChatMembers = "new_chat_members"
        case leftChatMember = "left_chat_member"
        case migrateToChatID = "migrate_to_chat_id"
        case migrateFromChatID = "migrate_from_chat_id"
        case replyMarkup = "reply_markup"
    }
}

/// What a user may do in a chat (restrictChatMember, setChatPermissions).
public struct ChatPermissions: Codable, Sendable, Equatable {
    public var canSendMessages: Bool?
    public var canSendAudios: Bool?
    public var canSendDocuments: Bool?
    public var canSendPhotos: Bool?
    public var canSendVideos: Bool?
    public var canSendVideoNotes: Bool?
    public var canSendVoiceNotes: Bool?
    public var canSendPolls: Bool?
    public var canSendOtherMessages: Bool?
    public var canAddWebPagePreviews: Bool?
    public var canChangeInfo: Bool?
    public var canInviteUsers: Bool?
    public var canPinMessages: Bool?
    public var canManageTopics: Bool?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case canSendMessages = "can_send_messages"
        case canSendAudios = "can_send_audios"
        case canSendDocuments = "can_send_documents"
        case canSendPhotos = "can_send_photos"
        case canSendVideos = "can_send_videos"
        case canSendVideoNotes = "can_send_video_notes"
        case canSendVoiceNotes = "can_send_voice_notes"
        case canSendPolls = "can_send_polls"
        case canSendOtherMessages = "can_send_other_messages"
        case canAddWebPagePreviews = "can_add_web_page_previews"
        case canChangeInfo = "can_change_info"
        case canInviteUsers = "can_invite_users"
        case canPinMessages = "can_pin_messages"
        case canManageTopics = "can_manage_topics"
    }
}

/// One member's standing in a chat. Every status shares this shape; fields a status lacks are nil.
public struct ChatMember: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case creator, administrator, member, restricted, left, kicked
    }

    public var status: Status
    public var user: User
    public var isAnonymous: Bool?
    public var customTitle: String?
    /// Restricted or kicked until this time (0 or nil: for ever).
    public var untilDate: Int64?
    /// For restricted users: whether they are still a member.
    public var isMember: Bool?
    public var canBeEdited: Bool?
    public var canManageChat: Bool?
    public var canDeleteMessages: Bool?
    public var canRestrictMembers: Bool?
    public var canPromoteMembers: Bool?
    public var canChangeInfo: Bool?
    public var canInviteUsers: Bool?
    public var canPinMessages: Bool?
    public var canSendMessages: Bool?

    /// Creator or administrator.
    public var isAdministrator: Bool { status == .creator || status == .administrator }

    enum CodingKeys: String, CodingKey {
        case status, user
        case isAnonymous = "is_anonymous"
        case customTitle = "custom_title"
        case untilDate = "until_date"
        case isMember = "is_member"
        case canBeEdited = "can_be_edited"
        case canManageChat = "can_manage_chat"
        case canDeleteMessages = "can_delete_messages"
        case canRestrictMembers = "can_restrict_members"
        case canPromoteMembers = "can_promote_members"
        case canChangeInfo = "can_change_info"
        case canInviteUsers = "can_invite_users"
        case canPinMessages = "can_pin_messages"
        case canSendMessages = "can_send_messages"
    }
}

/// A change of a member's status (`chat_member`, `my_chat_member`).
public struct ChatMemberUpdated: Codable, Sendable, Equatable {
    public var chat: Chat
    public var from: User
    public var date: Int64
    public var oldChatMember: ChatMember
    public var newChatMember: ChatMember

    enum CodingKeys: String, CodingKey {
        case chat, from, date
        case oldChatMember = "old_chat_member"
        case newChatMember = "new_chat_member"
    }
}

/// A press on an inline keyboard button.
public struct CallbackQuery: Codable, Sendable, Equatable {
    public var id: String
    public var from: User
    public var chatInstance: String
    public var data: String?
    public var message: Message?

    enum CodingKeys: String, CodingKey {
        case id, from, data, message
        case chatInstance = "chat_instance"
    }
}

/// A request to join a chat that needs approval.
public struct ChatJoinRequest: Codable, Sendable, Equatable {
    public var chat: Chat
    public var from: User
    public var userChatID: Int64
    public var date: Int64
    public var bio: String?

    enum CodingKeys: String, CodingKey {
        case chat, from, date, bio
        case userChatID = "user_chat_id"
    }
}

/// Buttons under a message.
public struct InlineKeyboardMarkup: Codable, Sendable, Equatable {
    public var inlineKeyboard: [[InlineKeyboardButton]]

    public init(inlineKeyboard: [[InlineKeyboardButton]]) { self.inlineKeyboard = inlineKeyboard }

    enum CodingKeys: String, CodingKey { case inlineKeyboard = "inline_keyboard" }
}

public struct InlineKeyboardButton: Codable, Sendable, Equatable {
    public var text: String
    public var callbackData: String?
    public var url: String?

    public init(text: String, callbackData: String? = nil, url: String? = nil) {
        self.text = text
        self.callbackData = callbackData
        self.url = url
    }

    enum CodingKeys: String, CodingKey {
        case text, url
        case callbackData = "callback_data"
    }
}

/// Why a refused request may work later: `retry_after` (429), `migrate_to_chat_id` (group upgraded).
public struct ResponseParameters: Codable, Sendable, Equatable {
    public var migrateToChatID: Int64?
    public var retryAfter: Int?

    public init(migrateToChatID: Int64? = nil, retryAfter: Int? = nil) {
        self.migrateToChatID = migrateToChatID
        self.retryAfter = retryAfter
    }

    enum CodingKeys: String, CodingKey {
        case migrateToChatID = "migrate_to_chat_id"
        case retryAfter = "retry_after"
    }
}
