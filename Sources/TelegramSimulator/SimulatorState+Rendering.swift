import WardenJSON

extension SimulatorState {
    /// Optional administrator rights that only exist for some chat types.
    private static let rightScopes: [String: Set<ChatKind>] = [
        "can_post_messages": [.channel], "can_edit_messages": [.channel], "can_manage_direct_messages": [.channel],
        "can_pin_messages": [.group, .supergroup], "can_manage_topics": [.supergroup],
        "can_manage_tags": [.group, .supergroup],
    ]

    func userJSON(_ id: Int64) -> JSONValue {
        users[id]?.json ?? ["id": .int(id), "is_bot": false, "first_name": "Deleted Account"]
    }

    /// The `ChatMember` object for a member, with every right and permission the reference lists for its status.
    func memberJSON(_ member: SimMember, in chat: SimChat) -> JSONValue {
        var object: [String: JSONValue] = ["status": .string(member.status.rawValue), "user": userJSON(member.userID)]
        switch member.status {
        case .creator:
            object["is_anonymous"] = .bool(member.isAnonymous)
            if let title = member.customTitle { object["custom_title"] = .string(title) }
        case .administrator:
            object["can_be_edited"] = .bool(member.promotedBy == botID)
            object["is_anonymous"] = .bool(member.isAnonymous)
            for right in rightNames where Self.rightScopes[right].map({ $0.contains(chat.kind) }) ?? true {
                object[right] = .bool(member.has(right))
            }
            if let title = member.customTitle { object["custom_title"] = .string(title) }
        case .restricted:
            object["is_member"] = .bool(member.isMember)
            for permission in permissionNames { object[permission] = .bool(member.permissions.contains(permission)) }
            object["until_date"] = .int(member.untilDate)
        case .kicked:
            object["until_date"] = .int(member.untilDate)
        case .member, .left:
            break
        }
        return .object(object)
    }

    /// `ChatFullInfo` for getChat.
    func fullInfo(_ chat: SimChat) -> JSONValue {
        var object = chat.json.object ?? [:]
        object["accent_color_id"] = 0
        object["max_reaction_count"] = 11
        object["accepted_gift_types"] = [
            "unlimited_gifts": false, "limited_gifts": false, "unique_gifts": false, "premium_subscription": false,
            "gifts_from_channels": false,
        ]
        if chat.kind.isGroup {
            object["permissions"] = permissionsJSON(chat.permissions)
        }
        if let description = chat.description { object["description"] = .string(description) }
        if let pinned = chat.pinned.first, let message = chat.messages[pinned] {
            object["pinned_message"] = .object(message.json)
        }
        if let from = chat.migratedFrom { object["migrated_from_chat_id"] = .int(from) }
        return .object(object)
    }

    func permissionsJSON(_ granted: Set<String>) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: permissionNames.map { ($0, JSONValue.bool(granted.contains($0))) }))
    }

    /// The granted permissions named in a `ChatPermissions` object; absent fields are not granted.
    func grantedPermissions(_ value: JSONValue?) -> Set<String> {
        Set((value?.object ?? [:]).compactMap { $0.value.bool == true ? $0.key : nil })
    }

    /// Replaces a member and emits `chat_member` (or `my_chat_member` for the bot) when anything changed.
    func changeMember(
        _ new: SimMember,
        in chatID: Int64,
        by actor: Int64,
        viaJoinRequest: Bool = false,
        inviteLink: JSONValue? = nil
    ) {
        guard var chat = chats[chatID] else { return }
        let old = chat.member(new.userID)
        chat.members[new.userID] = new
        chats[chatID] = chat
        guard old != new else { return }
        var payload: [String: JSONValue] = [
            "chat": chat.json, "from": userJSON(actor), "date": .int(nowSeconds),
            "old_chat_member": memberJSON(old, in: chat), "new_chat_member": memberJSON(new, in: chat),
        ]
        if viaJoinRequest { payload["via_join_request"] = true }
        if let inviteLink { payload["invite_link"] = inviteLink }
        emit(new.userID == botID ? "my_chat_member" : "chat_member", .object(payload), key: chatID)
    }

    /// The next message id of a chat, with the basic fields every message has.
    func newMessage(in chatID: Int64, from senderID: Int64?, date: Int64? = nil) -> SimMessage? {
        guard var chat = chats[chatID] else { return nil }
        let id = chat.nextMessageID
        chat.nextMessageID += 1
        chats[chatID] = chat
        let when = date ?? nowSeconds
        var json: [String: JSONValue] = ["message_id": .int(id), "date": .int(when), "chat": chat.json]
        if let senderID { json["from"] = userJSON(senderID) }
        return SimMessage(id: id, chatID: chatID, date: when, senderID: senderID, json: json)
    }

    func store(_ message: SimMessage) {
        chats[message.chatID]?.messages[message.id] = message
    }

    /// A message as `reply_to_message` or `pinned_message` shows it: without its own reply.
    func embedded(_ message: SimMessage) -> JSONValue {
        var json = message.json
        json["reply_to_message"] = nil
        json["pinned_message"] = nil
        return .object(json)
    }
}
