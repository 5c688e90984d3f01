import WardenJSON

/// Where an action goes, for queueing and rate limits: a chat id, a `@username`, or nowhere in particular.
enum OutboxTarget: Hashable, Sendable {
    case chat(Int64)
    case username(String)
    case none

    init(chatID: JSONValue?) {
        switch chatID {
        case .int(let id): self = .chat(id)
        case .string(let text) where text.hasPrefix("@"): self = .username(text.lowercased())
        case .string(let text): self = Int64(text).map { .chat($0) } ?? .username(text)
        default: self = .none
        }
    }

    /// Groups and channels have negative ids; their per-minute limit applies.
    var isGroup: Bool {
        if case .chat(let id) = self { return id < 0 }
        return false
    }
}

/// Which queue an action waits in: moderation first, replies last.
enum OutboxPriority: Int, Comparable, Sendable {
    case moderation = 0
    case normal = 1
    case chatty = 2

    static func < (lhs: OutboxPriority, rhs: OutboxPriority) -> Bool { lhs.rawValue < rhs.rawValue }

    static let moderationMethods: Set<String> = [
        "deleteMessage", "deleteMessages", "banChatMember", "unbanChatMember", "restrictChatMember",
        "banChatSenderChat", "declineChatJoinRequest", "approveChatJoinRequest", "answerCallbackQuery",
        "setChatPermissions", "leaveChat",
    ]

    init(method: String) {
        if Self.moderationMethods.contains(method) {
            self = .moderation
        } else if Self.isMessageMethod(method) {
            self = .chatty
        } else {
            self = .normal
        }
    }

    /// Methods that post into a chat, which Telegram limits per chat and per group.
    static func isMessageMethod(_ method: String) -> Bool {
        method.hasPrefix("send") || method.hasPrefix("forward") || method.hasPrefix("copy")
            || method.hasPrefix("edit")
    }
}

/// One action waiting in the outbox, with everyone waiting for its result.
struct OutboxItem: Sendable {
    var action: BotAction
    var completions: [@Sendable (ActionResult) -> Void]
    var attempts = 0
    /// Not sent before this time (delete batching window, retry backoff).
    var notBefore: Double
    let priority: OutboxPriority
    /// The user whose membership this action changes: such actions for one user go one at a time, in
    /// order, or a mute sent just before a ban could land after it.
    let memberKey: String?
    /// Identical ban-like actions for one user in one chat are sent once; identical means every parameter
    /// (a mute and an unmute differ only in their permissions). Worked out once: the queue compares it often.
    let dedupKey: String?

    init(action: BotAction, completions: [@Sendable (ActionResult) -> Void], notBefore: Double) {
        self.action = action
        self.completions = completions
        self.notBefore = notBefore
        priority = OutboxPriority(method: action.method)
        let changesMember = ["banChatMember", "unbanChatMember", "restrictChatMember"].contains(action.method)
        memberKey =
            changesMember || action.method == "promoteChatMember" ? action.params["user_id"]?.jsonString : nil
        dedupKey =
            changesMember
            ? action.method
                + String(decoding: JSONValue.object(action.params).serialized(sortedKeys: true), as: UTF8.self)
            : nil
    }

    var target: OutboxTarget { OutboxTarget(chatID: action.params["chat_id"]) }
}

/// One HTTP request the outbox decided to send: an action, or several deletions merged.
struct OutboxRequest: Sendable {
    let id: UInt64
    var method: String
    var params: [String: JSONValue]
    var items: [OutboxItem]
    let target: OutboxTarget
}
