/// Where a chat's administrators come from when the Redis cache has no fresh list:
/// Telegram's `getChatAdministrators`.
public protocol AdminDirectory: Sendable {
    /// The chat's administrators; nil when they could not be fetched.
    func administrators(of chatID: Int64) async -> [(userID: Int64, status: String)]?
}
