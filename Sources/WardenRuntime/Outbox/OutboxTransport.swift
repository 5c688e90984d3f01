public import WardenJSON

/// How the outbox reaches Telegram: one call, its result classified for retrying.
///
/// `BotAPIClient` is the real one; tests of the scheduling rules use a scripted one.
public protocol OutboxTransport: Sendable {
    func perform(_ method: String, _ params: [String: JSONValue]) async -> OutboxCallResult
}

/// A Bot API call's result as the outbox acts on it.
public enum OutboxCallResult: Sendable, Equatable {
    case success(JSONValue)
    /// 429: Telegram asks to wait this many seconds.
    case rateLimited(retryAfter: Double)
    /// 5xx, network error or time-out: worth retrying later.
    case transient(String)
    /// 400 with `migrate_to_chat_id`: the group became this supergroup.
    case migrated(to: Int64)
    /// Any other refusal (not enough rights, message not found, …).
    case rejected(code: Int, description: String)
}
