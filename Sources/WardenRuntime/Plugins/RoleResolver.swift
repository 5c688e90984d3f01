import Logging
import RedisStore

/// Works out a user's role in a chat: sudo from config (and Redis), owner and
/// admins from the Telegram admin cache in Redis, moderators and approved users
/// from Redis. All Redis lookups for one user go in one pipeline.
struct RoleResolver {
    /// Telegram's placeholder sender for anonymous group admins.
    static let anonymousAdminBot: Int64 = 1_087_968_824

    let sudoUsers: Set<Int64>
    let keys: RuntimeKeys

    func role(chatID: Int64, userID: Int64, senderChatID: Int64?, redis: RedisConnection?, logger: Logger) -> Role {
        if sudoUsers.contains(userID) { return .sudo }
        if let senderChatID {
            // Posting as the group itself is what anonymous admins do; posting as a channel is anyone.
            return senderChatID == chatID ? .admin : .member
        }
        guard let redis else { return .member }
        let id = String(userID)
        do {
            let replies = try redis.pipeline(
                [
                    ["SISMEMBER", keys.sudoUsers, id],
                    ["HGET", keys.chat(chatID, "admins"), id],
                    ["SISMEMBER", keys.chat(chatID, "mods"), id],
                    ["SISMEMBER", keys.chat(chatID, "approved"), id],
                ].map { $0.map { Array($0.utf8) } }
            )
            if replies[0].int == 1 { return .sudo }
            switch replies[1].string {
            case "creator": return .owner
            case "administrator": return .admin
            default: break
            }
            if replies[2].int == 1 { return .mod }
            if replies[3].int == 1 { return .approved }
        } catch {
            // Fail closed: without Redis nobody but config sudo users is privileged.
            logger.warning(
                "role lookup failed",
                metadata: ["chat.id": "\(chatID)", "error": "\(error)"]
            )
        }
        return .member
    }
}
