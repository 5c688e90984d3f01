import Logging
import RedisStore

/// Works out a user's role in a chat: sudo from config (and Redis), owner and
/// admins from the Telegram admin cache in Redis, moderators and approved users
/// from Redis. All Redis lookups for one user go in one pipeline, through the read cache, which keeps
/// all of these keys.
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

    /// Sends commands (names lowercased) in one round trip, through the read cache when there is one.
    typealias Send = ([[[UInt8]]]) throws(RedisError) -> [RedisReply]

    /// - Parameters:
    ///   - now: Unix time, to tell how old the cached admin list is.
    ///   - send: nil without Redis (then nobody but config sudo users is privileged).
    func role(chatID: Int64, userID: Int64, senderChatID: Int64?, now: Double, send: Send?, logger: Logger) -> Role {
        if sudoUsers.contains(userID) { return .sudo }
        if let senderChatID {
            // Posting as the group itself is what anonymous admins do; posting as a channel is anyone.
            return senderChatID == chatID ? .admin : .member
        }
        guard let send else { return .member }
        let id = String(userID)
        do {
            // Every key here is one the read cache keeps: a command's role check rarely makes a round trip.
            let replies = try send(
                [
                    ["sismember", keys.sudoUsers, id],
                    ["hget", keys.admins(chatID), id],
                    ["sismember", keys.chat(chatID, "mods"), id],
                    ["sismember", keys.chat(chatID, "approved"), id],
                    ["get", keys.adminsFetched(chatID)],
                ].map { $0.map { Array($0.utf8) } }
            )
            if replies[0].int == 1 { return .sudo }
            var status = replies[1].string
            // The mark holds the Unix time of the fetch; an older bot stored "1", which reads as long ago.
            let fetchedAt = replies[4].string.flatMap { Double($0) }
            if fetchedAt == nil, chatID < 0,
                let fetched = fetchAdministrators(chatID, now: now, send: send, logger: logger)
            {
                status = fetched.first { $0.userID == userID }?.status
            } else if let fetchedAt, chatID < 0,
                now - fetchedAt > Double(Self.adminListLifetime - Self.adminListRefreshAhead)
            {
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
        now: Double,
        send: Send,
        logger: Logger
    )
        -> AdminListFetches.Admins?
    {
        guard let admins = fetches?.administrators(of: chatID) else { return nil }
        do {
            _ = try send(cacheCommands(chatID, admins, now: now))
        } catch {
            logger.warning("admin cache not written", metadata: ["chat.id": "\(chatID)", "error": "\(error)"])
        }
        return admins
    }

    /// Replaces the chat's cached admin list, kept `adminListLifetime` seconds (`chat_member` updates keep it
    /// current in between); the mark beside it holds when it was fetched (`now`, Unix time). Names lowercased,
    /// as the read cache takes them.
    func cacheCommands(_ chatID: Int64, _ admins: AdminListFetches.Admins, now: Double) -> [[[UInt8]]] {
        let key = keys.admins(chatID)
        var commands: [[String]] = [["del", key]]
        if !admins.isEmpty { commands.append(["hset", key] + admins.flatMap { [String($0.userID), $0.status] }) }
        commands.append(
            ["set", keys.adminsFetched(chatID), String(Int64(now)), "EX", String(Self.adminListLifetime)]
        )
        return commands.map { $0.map { Array($0.utf8) } }
    }
}
