import WardenJSON

/// A Telegram account the simulator knows: a person, another bot, or the bot under test.
struct SimUser: Sendable, Hashable {
    var id: Int64
    var isBot: Bool
    var firstName: String
    var lastName: String?
    var username: String?
    var languageCode: String?

    var json: JSONValue {
        var object: [String: JSONValue] = ["id": .int(id), "is_bot": .bool(isBot), "first_name": .string(firstName)]
        if let lastName { object["last_name"] = .string(lastName) }
        if let username { object["username"] = .string(username) }
        if let languageCode { object["language_code"] = .string(languageCode) }
        return .object(object)
    }
}

/// Chat types as the Bot API spells them.
enum ChatKind: String, Sendable, Hashable, CaseIterable {
    case `private`, group, supergroup, channel

    /// Where the 20-messages-per-minute limit and member administration apply.
    var isGroup: Bool { self == .group || self == .supergroup }

    /// "supergroup chat", "group chat", "channel chat": the noun Telegram's Forbidden errors use.
    var errorNoun: String { self == .private ? "private chat" : "\(rawValue) chat" }
}

/// A member's status, as `ChatMember.status` spells it.
enum MemberStatus: String, Sendable, Hashable, CaseIterable {
    case creator, administrator, member, restricted, left, kicked

    /// Present in the chat: can read it, counts toward the member count.
    var isPresent: Bool { self == .creator || self == .administrator || self == .member }
    var isAdmin: Bool { self == .creator || self == .administrator }
}

/// A user's standing in one chat.
struct SimMember: Sendable, Hashable {
    var userID: Int64
    var status: MemberStatus
    /// Administrator rights granted (`can_delete_messages`, …); the creator implicitly has all.
    var rights: Set<String> = []
    /// For `restricted`: the permissions still granted.
    var permissions: Set<String> = []
    /// For `restricted`: whether the user is in the chat right now.
    var isMember = true
    /// For `kicked` and `restricted`: Unix time when it ends; 0 for forever.
    var untilDate: Int64 = 0
    var customTitle: String?
    var isAnonymous = false
    /// Who promoted this administrator; a bot may only demote or restrict admins it promoted.
    var promotedBy: Int64?

    /// Whether the member holds an administrator right (the creator holds them all).
    func has(_ right: String) -> Bool { status == .creator || (status == .administrator && rights.contains(right)) }
}

/// A stored message: the Bot API object plus what the rules need to know about it.
struct SimMessage: Sendable, Hashable {
    var id: Int64
    var chatID: Int64
    var date: Int64
    var senderID: Int64?
    var json: [String: JSONValue]
    /// Service messages about creating a supergroup or channel can never be deleted.
    var isCreationService = false
    var isDice = false
    var isService = false

    var text: String? { json["text"]?.string }
}

/// A chat with its members, messages and settings.
struct SimChat: Sendable {
    var id: Int64
    var kind: ChatKind
    var title: String?
    var username: String?
    var firstName: String?
    var lastName: String?
    var description: String?
    /// Default permissions for members (`setChatPermissions`).
    var permissions: Set<String>
    var members: [Int64: SimMember] = [:]
    var messages: [Int64: SimMessage] = [:]
    var nextMessageID: Int64 = 1
    var pinned: [Int64] = []
    var joinRequests: Set<Int64> = []
    /// Set on a group after migration: every request for it answers 400 with this id.
    var migratedTo: Int64?
    var migratedFrom: Int64?

    /// The `Chat` object as it appears inside messages and updates.
    var json: JSONValue {
        var object: [String: JSONValue] = ["id": .int(id), "type": .string(kind.rawValue)]
        if let title { object["title"] = .string(title) }
        if let username { object["username"] = .string(username) }
        if let firstName { object["first_name"] = .string(firstName) }
        if let lastName { object["last_name"] = .string(lastName) }
        return .object(object)
    }

    func member(_ userID: Int64) -> SimMember {
        members[userID] ?? SimMember(userID: userID, status: .left)
    }

    /// Visible messages in id order.
    var orderedMessages: [SimMessage] { messages.values.sorted { $0.id < $1.id } }
}
