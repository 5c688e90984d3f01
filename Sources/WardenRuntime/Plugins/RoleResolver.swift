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
    /// Fills the admin cache of a chat whose list is missing, and refreshes one about to expire.
    var fetches: AdminListFetches?
    static let adminListLifetime = 600
    /// A list with less than this many seconds left is fetched again in the background.
    static let adminListRefreshAhead = 120

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
                    ["HGET", keys.admins(chatID), id],
                    ["SISMEMBER", keys.chat(chatID, "mods"), id],
                    ["SISMEMBER", keys.chat(chatID, "approved"), id],
                    ["TTL", keys.adminsFetched(chatID)],
                ].map { $0.map { Array($0.utf8) } }
            )
            if replies[0].int == 1 { return .sudo }
            var status = replies[1].string
            let listLeft = replies[4].int ?? -2  // seconds; -2: no list
            if listLeft == -2, chatID < 0, let fetched = fetchAdministrators(chatID, redis: redis, logger: logger) {
                status = fetched.first { $0.userID == userID }?.status
            } else if listLeft >= 0, listLeft < Self.adminListRefreshAhead, chatID < 0 {
                fetches?.start(chatID)
            }
            switch status {
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

    /// Asks Telegram for the chat's admins (or takes the list a background fetch brought) and replaces the
    /// cached list.
    private func fetchAdministrators(
        _ chatID: Int64,
        redis: RedisConnection,
        logger: Logger
    )
        -> AdminListFetches.Admins?
    {
        guard let admins = fetches?.administrators(of: chatID) else { return nil }
        do {
            _ = try redis.pipeline(cacheCommands(chatID, admins))
        } catch {
            logger.warning("admin cache not written", metadata: ["chat.id": "\(chatID)", "error": "\(error)"])
        }
        return admins
    }

    /// Replaces the chat's cached admin list, kept `adminListLifetime` seconds (`chat_member` updates keep it
    /// current in between).
    func cacheCommands(_ chatID: Int64, _ admins: AdminListFetches.Admins) -> [[String]] {
        let key = keys.admins(chatID)
        var commands: [[String]] = [["DEL", key]]
        if !admins.isEmpty { commands.append(["HSET", key] + admins.flatMap { [String($0.userID), $0.status] }) }
        commands.append(["SET", keys.adminsFetched(chatID), "1", "EX", String(Self.adminListLifetime)])
        return commands
    }
}
