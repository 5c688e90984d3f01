/// Where a chat's administrators come from when the Redis cache has no fresh list:
/// Telegram's `getChatAdministrators`.
public protocol AdminDirectory: Sendable {
    /// Blocks the calling worker thread (never the cooperative pool) until the list arrives;
    /// nil when it could not be fetched.
    func administrators(of chatID: Int64) -> [(userID: Int64, status: String)]?
}
