import BotAPISpec
import Foundation
import WardenJSON

/// The control API's operations: the world the bot lives in, set up and moved by tests and scripts.
extension SimulatorState {
    func createUser(_ body: JSONValue) throws(ControlError) -> JSONValue {
        guard let firstName = body["first_name"]?.string, !firstName.isEmpty else {
            throw ControlError(400, "first_name is required")
        }
        let id = body["id"]?.int ?? nextUserID
        guard id > 0 else { throw ControlError(400, "user ids are positive") }
        guard users[id] == nil else { throw ControlError(409, "user \(id) already exists") }
        nextUserID = max(nextUserID, id + 1)
        let user = SimUser(
            id: id,
            isBot: body["is_bot"]?.bool ?? false,
            firstName: firstName,
            lastName: body["last_name"]?.string,
            username: body["username"]?.string,
            languageCode: body["language_code"]?.string
        )
        users[id] = user
        return user.json
    }

    /// Creates a chat with ids in Telegram's ranges: a private chat's id is the user's, groups are negative,
    /// supergroups and channels are -100…; the bot joins as `bot_status` (member; administrator in channels).
    func createChat(_ body: JSONValue) throws(ControlError) -> JSONValue {
        guard let kind = body["type"]?.string.flatMap(ChatKind.init(rawValue:)) else {
            throw ControlError(400, "type must be private, group, supergroup or channel")
        }
        let serial = nextGroupSerial
        var id: Int64
        switch kind {
        case .private: id = body["user_id"]?.int ?? body["id"]?.int ?? 0
        case .group: id = body["id"]?.int ?? -(4_000_000_000 + serial)
        case .supergroup, .channel: id = body["id"]?.int ?? -(1_002_000_000_000 + serial)
        }
        if kind == .private {
            guard let user = users[id], id != botID else {
                throw ControlError(404, "private chats need an existing user_id")
            }
            return try addChat(
                SimChat(
                    id: id,
                    kind: .private,
                    username: user.username,
                    firstName: user.firstName,
                    lastName: user.lastName,
                    permissions: []
                ),
                body: body
            )
        }
        guard id < 0, kind == .group || String(id).hasPrefix("-100") else {
            throw ControlError(400, "\(kind.rawValue) ids are negative\(kind == .group ? "" : " and start with -100")")
        }
        nextGroupSerial += 1
        var chat = SimChat(
            id: id,
            kind: kind,
            title: body["title"]?.string ?? "\(kind.rawValue.capitalized) \(serial)",
            username: body["username"]?.string,
            description: body["description"]?.string,
            permissions: body["permissions"].map { grantedPermissions($0) } ?? defaultPermissions
        )
        if let creator = body["creator"]?.int {
            guard users[creator] != nil else { throw ControlError(404, "no user \(creator)") }
            chat.members[creator] = SimMember(userID: creator, status: .creator)
        }
        return try addChat(chat, body: body)
    }

    private func addChat(_ chat: SimChat, body: JSONValue) throws(ControlError) -> JSONValue {
        guard chats[chat.id] == nil else { throw ControlError(409, "chat \(chat.id) already exists") }
        var chat = chat
        if chat.kind == .private {
            chat.members[chat.id] = SimMember(userID: chat.id, status: .member)
            chat.members[botID] = SimMember(
                userID: botID,
                status: body["bot_status"]?.string == "kicked" ? .kicked : .member
            )
        } else {
            let defaultStatus = chat.kind == .channel ? "administrator" : "member"
            let status = MemberStatus(rawValue: body["bot_status"]?.string ?? defaultStatus) ?? .member
            var bot = SimMember(userID: botID, status: status)
            bot.rights = rights(
                from: body["bot_rights"],
                kind: chat.kind,
                fallback: chat.kind == .channel ? ["can_post_messages"] : []
            )
            if status == .restricted { bot.permissions = grantedPermissions(body["bot_permissions"]) }
            chat.members[botID] = bot
        }
        chats[chat.id] = chat
        return chat.json
    }

    /// Rights from an object of booleans; administrators of basic groups hold every right.
    func rights(from value: JSONValue?, kind: ChatKind, fallback: Set<String> = []) -> Set<String> {
        if kind == .group { return Set(rightNames) }
        guard let object = value?.object else { return fallback }
        return Set(object.compactMap { rightNames.contains($0.key) && $0.value.bool == true ? $0.key : nil })
    }

    func chatForControl(_ id: Int64) throws(ControlError) -> SimChat {
        guard var chat = chats[id] else { throw ControlError(404, "no chat \(id)") }
        expireMemberships(&chat)
        chats[id] = chat
        return chat
    }

    func userForControl(_ value: JSONValue?) throws(ControlError) -> SimUser {
        guard let id = value?.int, let user = users[id] else {
            throw ControlError(404, "no user \(value?.description ?? "(user_id missing)")")
        }
        return user
    }

    /// Sets anyone's status, the bot's included; emits `chat_member` or `my_chat_member` like a real change.
    func setMember(chatID: Int64, _ body: JSONValue) throws(ControlError) -> JSONValue {
        let chat = try chatForControl(chatID)
        let user = try userForControl(body["user_id"])
        guard let status = body["status"]?.string.flatMap(MemberStatus.init(rawValue:)) else {
            throw ControlError(400, "status must be creator, administrator, member, restricted, left or kicked")
        }
        var member = SimMember(userID: user.id, status: status)
        if status == .administrator {
            let flat = JSONValue.object((body.object ?? [:]).filter { $0.key.hasPrefix("can_") })
            member.rights = rights(from: body["rights"] ?? flat, kind: chat.kind)
            if chat.kind != .group, !member.rights.isEmpty { member.rights.insert("can_manage_chat") }
            member.promotedBy = body["promoted_by"]?.int
        }
        if status == .restricted {
            member.permissions = grantedPermissions(body["permissions"])
            member.isMember = body["is_member"]?.bool ?? true
        }
        member.untilDate = body["until_date"]?.int ?? 0
        member.customTitle = body["custom_title"]?.string
        member.isAnonymous = body["is_anonymous"]?.bool ?? false
        let actor = chat.members.values.first { $0.status == .creator }?.userID ?? user.id
        changeMember(member, in: chatID, by: actor)
        return memberJSON(member, in: chats[chatID] ?? chat)
    }

    func join(chatID: Int64, _ body: JSONValue) throws(ControlError) -> JSONValue {
        let chat = try chatForControl(chatID)
        let user = try userForControl(body["user_id"])
        let current = chat.member(user.id)
        if current.status == .kicked { throw ControlError(403, "user \(user.id) is banned from chat \(chatID)") }
        if current.status.isPresent || (current.status == .restricted && current.isMember) {
            throw ControlError(409, "user \(user.id) is already in chat \(chatID)")
        }
        if current.status == .restricted {
            var member = current
            member.isMember = true
            changeMember(member, in: chatID, by: user.id)
            serviceMessage(in: chatID, from: user.id, ["new_chat_members": [user.json]])
        } else {
            // `added_by`: another member adds the user (Telegram's "X added Y"); otherwise they joined themselves.
            var adder = user.id
            if let addedBy = body["added_by"], !addedBy.isNull {
                adder = try userForControl(addedBy).id
                guard chat.member(adder).status.isPresent else {
                    throw ControlError(403, "user \(adder) is not in chat \(chatID) and cannot add members")
                }
            }
            admit(user.id, to: chatID, by: adder, inviteLink: inviteLink(body["via_link"], in: chat))
        }
        return memberJSON(chats[chatID]?.member(user.id) ?? current, in: chat)
    }

    /// `via_link: true` (or the link itself) → the `ChatInviteLink` a `chat_member` update names.
    private func inviteLink(_ value: JSONValue?, in chat: SimChat) -> JSONValue? {
        guard let value, value != false else { return nil }
        let creator = chat.members.values.first { $0.status == .creator }?.userID ?? botID
        return [
            "invite_link": .string(value.string ?? "https://t.me/+sim\(chat.id.magnitude)"),
            "creator": userJSON(creator),
            "creates_join_request": false, "is_primary": true, "is_revoked": false,
        ]
    }

    func leave(chatID: Int64, _ body: JSONValue) throws(ControlError) -> JSONValue {
        let chat = try chatForControl(chatID)
        let user = try userForControl(body["user_id"])
        var member = chat.member(user.id)
        guard member.status.isPresent || (member.status == .restricted && member.isMember) else {
            throw ControlError(409, "user \(user.id) is not in chat \(chatID)")
        }
        if member.status == .restricted {
            member.isMember = false
        } else {
            member = SimMember(userID: user.id, status: .left)
        }
        changeMember(member, in: chatID, by: user.id)
        if chat.kind.isGroup { serviceMessage(in: chatID, from: user.id, ["left_chat_member": user.json]) }
        return memberJSON(member, in: chat)
    }

    func joinRequest(chatID: Int64, _ body: JSONValue) throws(ControlError) -> JSONValue {
        let chat = try chatForControl(chatID)
        let user = try userForControl(body["user_id"])
        guard !chat.member(user.id).status.isPresent else {
            throw ControlError(409, "user \(user.id) is already in chat \(chatID)")
        }
        chats[chatID]?.joinRequests.insert(user.id)
        var request: [String: JSONValue] = [
            "chat": chat.json, "from": user.json, "user_chat_id": .int(user.id), "date": .int(nowSeconds),
        ]
        if let bio = body["bio"]?.string { request["bio"] = .string(bio) }
        emit("chat_join_request", .object(request), key: chatID)
        return .object(request)
    }

    /// Upgrades a group to a supergroup: members move over, the old id answers 400 with migrate_to_chat_id.
    func migrate(chatID: Int64) throws(ControlError) -> JSONValue {
        let group = try chatForControl(chatID)
        guard group.kind == .group else { throw ControlError(409, "only groups can be migrated") }
        let id = -(1_002_000_000_000 + nextGroupSerial)
        nextGroupSerial += 1
        var supergroup = SimChat(
            id: id,
            kind: .supergroup,
            title: group.title,
            username: group.username,
            description: group.description,
            permissions: group.permissions
        )
        supergroup.members = group.members
        supergroup.migratedFrom = chatID
        chats[id] = supergroup
        let actor = group.members.values.first { $0.status == .creator }?.userID ?? botID
        serviceMessage(in: chatID, from: actor, ["migrate_to_chat_id": .int(id)])
        chats[chatID]?.migratedTo = id
        serviceMessage(in: id, from: actor, ["migrate_from_chat_id": .int(chatID)])
        return ["chat_id": .int(id), "chat": supergroup.json]
    }

    /// A user presses an inline button: the button must exist on the message, as in a real client.
    func pressButton(_ body: JSONValue) throws(ControlError) -> JSONValue {
        let user = try userForControl(body["from"])
        guard let chatID = body["chat_id"]?.int, let messageID = body["message_id"]?.int else {
            throw ControlError(400, "chat_id and message_id are required")
        }
        let chat = try chatForControl(chatID)
        guard let message = chat.messages[messageID] else {
            throw ControlError(404, "no message \(messageID) in chat \(chatID)")
        }
        let data = body["data"]?.string ?? ""
        let buttons = (message.json["reply_markup"]?["inline_keyboard"]?.array ?? []).flatMap { $0.array ?? [] }
        guard buttons.contains(where: { $0["callback_data"]?.string == data }) else {
            throw ControlError(404, "message \(messageID) has no inline button with callback_data \"\(data)\"")
        }
        nextCallbackSerial += 1
        // Telegram's callback query ids are long numeric strings, unique per query.
        let id = String(4_000_000_000_000_000 + nextCallbackSerial)
        callbacks[id] = CallbackRecord(id: id, fromID: user.id, chatID: chatID, messageID: messageID, date: now)
        let query: JSONValue = [
            "id": .string(id), "from": user.json, "message": .object(message.json),
            "chat_instance": .string(String(chatID.magnitude &* 2_654_435_761 % 1_000_000_007)), "data": .string(data),
        ]
        emit("callback_query", query, key: user.id)
        return query
    }

    func callbackState(_ id: String) throws(ControlError) -> JSONValue {
        guard let record = callbacks[id] else { throw ControlError(404, "no callback query \(id)") }
        return [
            "id": .string(id), "answered": .bool(record.answered),
            "answer": record.answer.map(JSONValue.object) ?? .null,
        ]
    }

    /// Queues an Update given without update_id, after checking it against the reference.
    func inject(_ body: JSONValue) throws(ControlError) -> JSONValue {
        guard var object = body.object else { throw ControlError(400, "the body must be an Update object") }
        object["update_id"] = nil
        let kinds = object.keys.filter { updateKinds.contains($0) }
        guard kinds.count == 1, object.count == 1, let kind = kinds.first, let payload = object[kind] else {
            throw ControlError(400, "an Update has exactly one of: \(updateKinds.joined(separator: ", "))")
        }
        var checked = object
        checked["update_id"] = 1
        if let violation = spec.validate(.object(checked), asType: "Update") {
            throw ControlError(400, "not a valid Update: \(violation.description)")
        }
        let key =
            payload["chat"]?["id"]?.int ?? payload["message"]?["chat"]?["id"]?.int ?? payload["from"]?["id"]?.int ?? 0
        let before = queue.nextID
        emit(kind, payload, key: key)
        let queued = queue.nextID != before
        return ["update_id": queued ? .int(before) : .null, "filtered": .bool(!queued)]
    }

    func addFault(_ body: JSONValue) throws(ControlError) -> JSONValue {
        guard configuration.faultsEnabled else { throw ControlError(403, "faults are disabled in this simulator") }
        guard let kind = body["kind"]?.string.flatMap(Fault.Kind.init(rawValue:)) else {
            throw ControlError(400, "kind must be 500, timeout, 429 or drop")
        }
        let methods = body["methods"]?.array.map { Set($0.compactMap(\.string)) }
        let fault = Fault(
            kind: kind,
            count: Int(body["count"]?.int ?? 1),
            methods: methods,
            seconds: body["seconds"]?.double ?? 30,
            retryAfter: Int(body["retry_after"]?.int ?? 5)
        )
        faults.add(fault)
        return ["armed": .int(Int64(faults.faults.count))]
    }

    func clearFaults() { faults.clear() }

    func callsJSON(since: Int, method: String?) -> JSONValue {
        let wanted = method?.lowercased()
        let selected = calls.filter { call in call.seq > since && (wanted == nil || call.method.lowercased() == wanted)
        }
        return .array(selected.map(\.json))
    }

    func messagesJSON(chatID: Int64) throws(ControlError) -> JSONValue {
        .array(try chatForControl(chatID).orderedMessages.map { .object($0.json) })
    }

    func memberJSON(chatID: Int64, userID: Int64) throws(ControlError) -> JSONValue {
        let chat = try chatForControl(chatID)
        guard users[userID] != nil else { throw ControlError(404, "no user \(userID)") }
        return memberJSON(chat.member(userID), in: chat)
    }

    func stateJSON() -> JSONValue {
        [
            "updates_queued": .int(Int64(queue.pending.count)),
            "updates_delivered": .int(Int64(counters.updatesDelivered)),
            "updates_filtered": .int(Int64(queue.filtered)), "next_update_id": .int(queue.nextID),
            "calls": .int(Int64(nextCallSeq - 1)), "refused": .int(Int64(counters.refused)),
            "too_many_requests": .int(Int64(counters.tooManyRequests)),
            "webhook": webhook.map { .string($0.url) } ?? .null,
            "webhook_failures": .int(Int64(counters.webhookFailures)), "faults_armed": .int(Int64(faults.faults.count)),
            "faults_injected": .int(Int64(faults.injected)), "users": .int(Int64(users.count)),
            "chats": .int(Int64(chats.count)), "polling": .bool(poll != nil),
            "allowed_updates": queue.allowedUpdates.map { .array($0.map(JSONValue.string)) } ?? .null,
        ]
    }
}
