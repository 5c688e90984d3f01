import WardenJSON

/// The `msg` table plugins receive: the Bot API `Message` with its field names,
/// plus derived fields and the yagop/tg-cli aliases (docs/plugin-api.md).
enum LuaMessage {
    static func build(
        _ message: [String: JSONValue],
        facts: MessageFacts,
        updateID: Int64?,
        isOld: Bool,
        bot: JSONValue
    ) -> JSONValue {
        var msg = message
        msg["kind"] = .string(facts.kind)
        msg["update_id"] = updateID.map { .int($0) }
        if isOld { msg["old"] = .bool(true) }
        if let command = facts.command {
            msg["command"] = .string(command)
            msg["args"] = .string(facts.args ?? "")
        }
        // yagop aliases.
        msg["id"] = message["message_id"]
        msg["reply_id"] = message["reply_to_message"]?["message_id"]
        if case .object(let from) = message["from"] ?? .null { msg["from"] = .object(withPrintName(from)) }
        msg["to"] = receiver(chat: message["chat"], bot: bot)
        msg["service"] = .bool(facts.kind == "service")
        if let action = facts.serviceAction, let compat = facts.compatAction {
            msg["service_action"] = .string(action)
            msg["text"] = .string(facts.matchText)
            msg["action"] = .object(compatAction(type: compat, message: message))
        }
        return .object(msg)
    }

    /// tg-cli's `print_name`: first and last name joined, spaces as underscores.
    static func withPrintName(_ user: [String: JSONValue]) -> [String: JSONValue] {
        var user = user
        var name = user["first_name"]?.string ?? ""
        if let last = user["last_name"]?.string, !last.isEmpty { name += " " + last }
        user["print_name"] = .string(name.replacingSpaces())
        return user
    }

    /// tg-cli's `msg.to`: the chat for groups ('chat'), supergroups and channels ('channel');
    /// the bot itself in private chats ('user').
    static func receiver(chat: JSONValue?, bot: JSONValue) -> JSONValue {
        guard case .object(let chat) = chat ?? .null else { return .null }
        let type = chat["type"]?.string
        if type == "private" {
            var to = bot.object ?? [:]
            to["type"] = "user"
            return .object(withPrintName(to))
        }
        var to = chat
        to["type"] = .string(type == "group" ? "chat" : "channel")
        to["print_name"] = .string((chat["title"]?.string ?? "").replacingSpaces())
        return .object(to)
    }

    static func compatAction(type: String, message: [String: JSONValue]) -> [String: JSONValue] {
        var action: [String: JSONValue] = ["type": .string(type)]
        if case .object(let user) = message["new_chat_members"]?[0] ?? message["left_chat_member"] ?? .null {
            action["user"] = .object(withPrintName(user))
        }
        if let members = message["new_chat_members"]?.array {
            action["users"] = .array(members.map { $0.object.map { .object(withPrintName($0)) } ?? $0 })
        }
        if let title = message["new_chat_title"] { action["title"] = title }
        if let target = message["migrate_to_chat_id"] ?? message["migrate_from_chat_id"] { action["chat_id"] = target }
        return action
    }
}

extension String {
    fileprivate func replacingSpaces() -> String {
        String(map { $0 == " " ? "_" : $0 })
    }
}
