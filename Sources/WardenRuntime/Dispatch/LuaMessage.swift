import LuaHost
import WardenJSON

/// The `msg` table plugins receive: the Bot API `Message` with its field names,
/// plus derived fields and the yagop/tg-cli aliases (docs/plugin-api.md).
enum LuaMessage {
    /// Pushes the `msg` table straight onto the Lua stack: the message's own fields, then the derived ones
    /// and the aliases (no copy of the message as JSON first: this runs for every message).
    static func push(
        _ message: [String: JSONValue],
        facts: MessageFacts,
        updateID: Int64?,
        isOld: Bool,
        metatable: LuaRef?,
        on lua: LuaState
    ) {
        guard lua.ensureStack(5) else { return lua.pushNil() }
        lua.pushTable(fieldCount: message.count + 8)
        for (key, value) in message where !value.isNull {
            lua.push(key)
            if key == "from", case .object(let from) = value {
                lua.push(json: .object(from))
                lua.push(printName(from))
                lua.setField("print_name")
            } else {
                lua.push(json: value)
            }
            lua.setKeyAndValue()
        }
        func set(_ key: String, _ value: JSONValue?) {
            guard let value else { return }
            lua.push(json: value)
            lua.setField(key)
        }
        set("kind", .string(facts.kind))
        set("update_id", updateID.map { .int($0) })
        if isOld { set("old", .bool(true)) }
        if let command = facts.command {
            set("command", .string(command))
            set("args", .string(facts.args ?? ""))
        }
        // yagop aliases.
        set("id", message["message_id"])
        set("reply_id", message["reply_to_message"]?["message_id"])
        // `to` is built when first read (the metatable: Prelude's `message_meta`).
        if let metatable { lua.setMetatable(metatable) }
        set("service", .bool(facts.kind == "service"))
        if let action = facts.serviceAction, let compat = facts.compatAction {
            set("service_action", .string(action))
            set("text", .string(facts.matchText))
            set("action", .object(compatAction(type: compat, message: message)))
        }
    }

    /// tg-cli's `print_name`: first and last name joined, spaces as underscores.
    static func withPrintName(_ user: [String: JSONValue]) -> [String: JSONValue] {
        var user = user
        user["print_name"] = .string(printName(user))
        return user
    }

    static func printName(_ user: [String: JSONValue]) -> String {
        var name = user["first_name"]?.string ?? ""
        if let last = user["last_name"]?.string, !last.isEmpty { name += " " + last }
        return name.replacingSpaces()
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
    /// Spaces as underscores, byte by byte (no grapheme breaking: this runs for every message).
    fileprivate func replacingSpaces() -> String {
        guard utf8.contains(UInt8(ascii: " ")) else { return self }
        return String(decoding: utf8.map { $0 == UInt8(ascii: " ") ? UInt8(ascii: "_") : $0 }, as: UTF8.self)
    }
}
