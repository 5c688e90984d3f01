import WardenJSON

extension SimulatorState {
    static let restrictRights = "not enough rights to restrict/unrestrict chat member"

    /// The bot needs this administrator right (any administrator of a basic group has them all).
    func requireRight(_ chat: SimChat, _ right: String, _ refusal: String) throws(APIError) {
        let bot = chat.member(botID)
        let allowed = chat.kind == .group ? bot.status.isAdmin : bot.has(right)
        guard allowed else { throw .badRequest(refusal) }
    }

    /// The chat and target user of a member-management call, after the checks every such call shares.
    private func moderationTarget(_ params: [String: JSONValue]) throws(APIError) -> (SimChat, SimUser, SimMember) {
        let chat = try resolveChat(params["chat_id"])
        try requireBotAccess(chat)
        if chat.kind == .private { throw .badRequest("chat member status can't be changed in private chats") }
        let user = try requireUser(params["user_id"])
        return (chat, user, chat.member(user.id))
    }

    /// An administrator the bot did not promote is out of its reach, as is the owner.
    private func requireOutranked(_ target: SimMember, ownerError: String) throws(APIError) {
        if target.status == .creator { throw .badRequest(ownerError) }
        if target.status == .administrator && target.promotedBy != botID {
            throw .badRequest("user is an administrator of the chat")
        }
    }

    private func isInChat(_ member: SimMember) -> Bool {
        member.status.isPresent || (member.status == .restricted && member.isMember)
    }

    func banChatMember(_ params: [String: JSONValue]) throws(APIError) -> JSONValue {
        let (chat, user, target) = try moderationTarget(params)
        try requireRight(chat, "can_restrict_members", Self.restrictRights)
        try requireOutranked(target, ownerError: "can't remove chat owner")
        // Basic groups have no temporary bans.
        let until = chat.kind == .group ? 0 : Rules.normalizedUntil(params["until_date"]?.int, now: nowSeconds)
        changeMember(SimMember(userID: user.id, status: .kicked, untilDate: until), in: chat.id, by: botID)
        if isInChat(target) { serviceMessage(in: chat.id, from: botID, ["left_chat_member": user.json]) }
        return true
    }

    /// Lifts a ban; without only_if_banned it also removes a present member, as documented.
    func unbanChatMember(_ params: [String: JSONValue]) throws(APIError) -> JSONValue {
        let (chat, user, target) = try moderationTarget(params)
        try requireRight(chat, "can_restrict_members", Self.restrictRights)
        if params["only_if_banned"]?.bool == true && target.status != .kicked { return true }
        try requireOutranked(target, ownerError: "can't remove chat owner")
        guard target.status == .kicked || isInChat(target) || target.status == .restricted else { return true }
        changeMember(SimMember(userID: user.id, status: .left), in: chat.id, by: botID)
        if isInChat(target) { serviceMessage(in: chat.id, from: botID, ["left_chat_member": user.json]) }
        return true
    }

    /// Granting every permission the chat grants lifts the restriction; anything less restricts.
    func restrictChatMember(_ params: [String: JSONValue]) throws(APIError) -> JSONValue {
        let (chat, user, target) = try moderationTarget(params)
        guard chat.kind == .supergroup else { throw .badRequest("method is available only for supergroups") }
        try requireRight(chat, "can_restrict_members", Self.restrictRights)
        try requireOutranked(target, ownerError: "can't restrict chat owner")
        let independent = params["use_independent_chat_permissions"]?.bool == true
        let granted = Rules.applyingImplications(grantedPermissions(params["permissions"]), independent: independent)
        let present = isInChat(target)
        var member: SimMember
        if granted.isSuperset(of: chat.permissions) {
            member = SimMember(userID: user.id, status: present ? .member : .left)
        } else {
            member = SimMember(userID: user.id, status: .restricted)
            member.permissions = granted
            member.isMember = present
            member.untilDate = Rules.normalizedUntil(params["until_date"]?.int, now: nowSeconds)
        }
        if target.status == .kicked && member.status == .left { member = target }
        changeMember(member, in: chat.id, by: botID)
        return true
    }

    /// Grants a subset of the bot's own rights; all false demotes. Only administrators the bot promoted can be changed.
    func promoteChatMember(_ params: [String: JSONValue]) throws(APIError) -> JSONValue {
        let (chat, user, target) = try moderationTarget(params)
        guard chat.kind == .supergroup || chat.kind == .channel else {
            throw .badRequest("method is available for supergroup and channel chats only")
        }
        try requireRight(chat, "can_promote_members", "not enough rights")
        if target.status == .creator { throw .badRequest("can't demote chat creator") }
        if target.status == .administrator && target.promotedBy != botID { throw .badRequest("CHAT_ADMIN_REQUIRED") }
        guard isInChat(target) else { throw .badRequest("USER_NOT_PARTICIPANT") }
        var rights = Set(rightNames.filter { params[$0]?.bool == true })
        let bot = chat.member(botID)
        if bot.status != .creator, !rights.isSubset(of: bot.rights) { throw .badRequest("RIGHT_FORBIDDEN") }
        var member = SimMember(userID: user.id, status: .member)
        if !rights.isEmpty {
            rights.insert("can_manage_chat")
            member = SimMember(userID: user.id, status: .administrator, rights: rights, promotedBy: botID)
            member.isAnonymous = params["is_anonymous"]?.bool == true
        }
        changeMember(member, in: chat.id, by: botID)
        return true
    }

    func setChatPermissions(_ params: [String: JSONValue]) throws(APIError) -> JSONValue {
        let chat = try resolveChat(params["chat_id"])
        try requireBotAccess(chat)
        guard chat.kind.isGroup else { throw .badRequest("method is available only for supergroups and groups") }
        try requireRight(chat, "can_restrict_members", Self.restrictRights)
        let independent = params["use_independent_chat_permissions"]?.bool == true
        chats[chat.id]?.permissions = Rules.applyingImplications(
            grantedPermissions(params["permissions"]),
            independent: independent
        )
        return true
    }

    func getChat(_ params: [String: JSONValue]) throws(APIError) -> JSONValue {
        let chat = try resolveChat(params["chat_id"])
        try requireBotAccess(chat)
        return fullInfo(chat)
    }

    func getChatMember(_ params: [String: JSONValue]) throws(APIError) -> JSONValue {
        let chat = try resolveChat(params["chat_id"])
        try requireBotAccess(chat)
        let user = try requireUser(params["user_id"])
        if chat.kind == .private {
            let status: MemberStatus = user.id == chat.id || user.id == botID ? .member : .left
            return memberJSON(SimMember(userID: user.id, status: status), in: chat)
        }
        return memberJSON(chat.member(user.id), in: chat)
    }

    func getChatAdministrators(_ params: [String: JSONValue]) throws(APIError) -> JSONValue {
        let chat = try resolveChat(params["chat_id"])
        try requireBotAccess(chat)
        if chat.kind == .private { throw .badRequest("there are no administrators in the private chat") }
        let admins = chat.members.values.filter { $0.status.isAdmin }
            .sorted { ($0.status == .creator ? 0 : 1, $0.userID) < ($1.status == .creator ? 0 : 1, $1.userID) }
        return .array(admins.map { memberJSON($0, in: chat) })
    }

    func getChatMemberCount(_ params: [String: JSONValue]) throws(APIError) -> JSONValue {
        let chat = try resolveChat(params["chat_id"])
        try requireBotAccess(chat)
        if chat.kind == .private { return 2 }
        return .int(Int64(chat.members.values.filter(isInChat).count))
    }

    func answerJoinRequest(_ method: String, _ params: [String: JSONValue]) throws(APIError) -> JSONValue {
        let chat = try resolveChat(params["chat_id"])
        try requireBotAccess(chat)
        try requireRight(chat, "can_invite_users", "CHAT_ADMIN_REQUIRED")
        let user = try requireUser(params["user_id"])
        guard chats[chat.id]?.joinRequests.remove(user.id) != nil else { throw .badRequest("HIDE_REQUESTER_MISSING") }
        if method == "approveChatJoinRequest" { admit(user.id, to: chat.id, by: botID, viaJoinRequest: true) }
        return true
    }

    func leaveChat(_ params: [String: JSONValue]) throws(APIError) -> JSONValue {
        let chat = try resolveChat(params["chat_id"])
        try requireBotAccess(chat)
        if chat.kind == .private { throw .badRequest("chat member status can't be changed in private chats") }
        changeMember(SimMember(userID: botID, status: .left), in: chat.id, by: botID)
        return true
    }

    func answerCallbackQuery(_ params: [String: JSONValue]) throws(APIError) -> JSONValue {
        let id = params["callback_query_id"]?.string ?? ""
        let tooOld = APIError.badRequest("query is too old and response timeout expired or query ID is invalid")
        guard let record = callbacks[id], !record.answered else { throw tooOld }
        if let lifetime = configuration.callbackQueryLifetime, now - record.date > lifetime { throw tooOld }
        callbacks[id]?.answered = true
        callbacks[id]?.answer = params.filter { $0.key != "callback_query_id" }
        return true
    }

    /// Adds a user to a chat as a member, with the `new_chat_members` service message and `chat_member` update.
    func admit(
        _ userID: Int64,
        to chatID: Int64,
        by actor: Int64,
        viaJoinRequest: Bool = false,
        inviteLink: JSONValue? = nil
    ) {
        changeMember(
            SimMember(userID: userID, status: .member),
            in: chatID,
            by: actor,
            viaJoinRequest: viaJoinRequest,
            inviteLink: inviteLink
        )
        guard let chat = chats[chatID], chat.kind.isGroup else { return }
        serviceMessage(in: chatID, from: viaJoinRequest ? userID : actor, ["new_chat_members": [userJSON(userID)]])
    }

    /// Stores a service message and delivers it as a `message` update, as Telegram does even for the bot's own
    /// removals of members.
    @discardableResult
    func serviceMessage(in chatID: Int64, from senderID: Int64, _ fields: [String: JSONValue]) -> SimMessage? {
        guard var message = newMessage(in: chatID, from: senderID) else { return nil }
        for (key, value) in fields { message.json[key] = value }
        message.isService = true
        store(message)
        if let chat = chats[chatID], botReceives(message, in: chat) {
            emit("message", .object(message.json), key: chatID)
        }
        return message
    }
}
