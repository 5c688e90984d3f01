/// Builds every Redis key Warden uses, under one configurable prefix (default `warden:`).
///
/// Layout, with the default prefix:
/// - `global("bot", "offset")` → `warden:bot:offset`
/// - `chat(-100123, "settings")` → `warden:{chat:-100123}:settings`
/// - `chatMember(-100123, 42, "warns")` → `warden:{chat:-100123}:user:42:warns`
/// - `user(42, "lang")` → `warden:{user:42}:lang`
///
/// Chat and user keys carry a Redis Cluster hash tag, so all keys of one chat (or one user) map
/// to one slot and a Lua script may touch several of them. Chat and user ids are `Int64`, never
/// text, so they cannot smuggle in another tag. Each free-text part is one segment: `{`, `}`,
/// `:`, `%` and control characters in it are percent-escaped (`{` → `%7B`). Thus a part cannot
/// open a hash tag, cannot pose as several segments, and distinct inputs always give distinct keys.
public struct RedisKeySchema: Sendable, Hashable {
    /// The prefix used unless configured otherwise.
    public static let defaultPrefix = "warden:"
    /// The schema with the default prefix.
    public static let `default` = RedisKeySchema(checkedPrefix: defaultPrefix)

    /// The text every key starts with.
    public let prefix: String

    /// Creates a schema; the prefix may not contain `{`, `}` or control characters, because a
    /// brace in it would become the hash tag of every key. A trailing `:` is conventional.
    public init(prefix: String = defaultPrefix) throws(RedisKeySchemaError) {
        if let bad = prefix.unicodeScalars.first(where: {
            $0 == "{" || $0 == "}" || $0.properties.generalCategory == .control
        }) {
            throw RedisKeySchemaError(
                message: "key prefix may not contain U+\(String(bad.value, radix: 16, uppercase: true))"
            )
        }
        self.init(checkedPrefix: prefix)
    }

    private init(checkedPrefix: String) {
        self.prefix = checkedPrefix
    }

    /// A key shared by all chats: `<prefix>part:part...`.
    public func global(_ parts: String...) -> RedisKey {
        global(parts: parts)
    }

    /// A key shared by all chats, from an array of parts.
    public func global(parts: [String]) -> RedisKey {
        RedisKey(rawValue: prefix + parts.map(Self.escape).joined(separator: ":"))
    }

    /// A key of one chat, in the chat's cluster slot: `<prefix>{chat:ID}:part...`.
    public func chat(_ chatID: Int64, _ parts: String...) -> RedisKey {
        chat(chatID, parts: parts)
    }

    /// A key of one chat, from an array of parts.
    public func chat(_ chatID: Int64, parts: [String]) -> RedisKey {
        tagged("chat:\(chatID)", parts)
    }

    /// A key of one user within one chat, in the chat's slot: `<prefix>{chat:ID}:user:UID:part...`.
    public func chatMember(_ chatID: Int64, _ userID: Int64, _ parts: String...) -> RedisKey {
        chatMember(chatID, userID, parts: parts)
    }

    /// A key of one user within one chat, from an array of parts.
    public func chatMember(_ chatID: Int64, _ userID: Int64, parts: [String]) -> RedisKey {
        tagged("chat:\(chatID)", ["user", String(userID)] + parts)
    }

    /// A key of one user across chats, in the user's slot: `<prefix>{user:UID}:part...`.
    public func user(_ userID: Int64, _ parts: String...) -> RedisKey {
        user(userID, parts: parts)
    }

    /// A key of one user across chats, from an array of parts.
    public func user(_ userID: Int64, parts: [String]) -> RedisKey {
        tagged("user:\(userID)", parts)
    }

    private func tagged(_ tag: String, _ parts: [String]) -> RedisKey {
        var raw = prefix + "{" + tag + "}"
        for part in parts {
            raw += ":"
            raw += Self.escape(part)
        }
        return RedisKey(rawValue: raw)
    }

    /// Percent-escapes `{`, `}`, `:`, `%` and control characters (Unicode category Cc) in a part.
    public static func escape(_ part: String) -> String {
        guard part.unicodeScalars.contains(where: needsEscape) else { return part }
        var escaped = ""
        for scalar in part.unicodeScalars {
            guard needsEscape(scalar) else {
                escaped.unicodeScalars.append(scalar)
                continue
            }
            for byte in String(scalar).utf8 {
                escaped += byte < 16 ? "%0" : "%"
                escaped += String(byte, radix: 16, uppercase: true)
            }
        }
        return escaped
    }

    /// Category Cc is exactly U+0000–U+001F and U+007F–U+009F, and stays so (Unicode's stability policy);
    /// asking `properties.generalCategory` for every character of every key cost a worker 2% of its time.
    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x7B, 0x7D, 0x3A, 0x25: true  // { } : %
        case 0x00...0x1F, 0x7F...0x9F: true
        default: false
        }
    }
}

/// A ``RedisKeySchema`` was configured with an unusable prefix.
public struct RedisKeySchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the prefix.
    public let message: String

    public var description: String { "Invalid Redis key schema: \(message)" }
}
