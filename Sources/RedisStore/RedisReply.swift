/// One RESP2 reply from the Redis server.
///
/// Bulk strings are kept as bytes because Redis values are binary-safe and may hold NUL bytes
/// or invalid UTF-8; use ``string`` to read them as text.
public enum RedisReply: Sendable, Hashable {
    /// A simple string such as `OK` or `PONG`.
    case status(String)
    /// An error reply such as `ERR unknown command`; `RedisConnection.send` returns it as a value.
    case error(String)
    /// A 64-bit signed integer.
    case integer(Int64)
    /// A bulk string, byte for byte.
    case bulk([UInt8])
    /// A null bulk string or null array (a missing key, a timed-out `BLPOP`).
    case null
    /// An array of replies, possibly nested.
    case array([RedisReply])

    /// The text of a status reply, or of a bulk reply holding valid UTF-8.
    public var string: String? {
        switch self {
        case .status(let text): return text
        case .bulk(let bytes):
            let text = String(decoding: bytes, as: UTF8.self)
            // Decoding replaces invalid sequences; only hand out text that round-trips exactly.
            return text.utf8.elementsEqual(bytes) ? text : nil
        default: return nil
        }
    }

    /// The value of an integer reply, or of a bulk/status reply holding a decimal integer
    /// (Redis returns `GET` of a counter as a bulk string).
    public var int: Int64? {
        switch self {
        case .integer(let value): value
        case .bulk, .status: string.flatMap { Int64($0) }
        default: nil
        }
    }

    /// The bytes of a bulk reply, or the UTF-8 bytes of a status reply.
    public var bytes: [UInt8]? {
        switch self {
        case .bulk(let bytes): bytes
        case .status(let text): Array(text.utf8)
        default: nil
        }
    }

    /// The elements of an array reply.
    public var array: [RedisReply]? {
        if case .array(let elements) = self { elements } else { nil }
    }

    /// Whether this is the null reply.
    public var isNull: Bool {
        if case .null = self { true } else { false }
    }

    /// The text of an error reply.
    public var errorMessage: String? {
        if case .error(let text) = self { text } else { nil }
    }

    /// Returns this reply, or throws ``RedisError/server(_:)`` if it is an error reply.
    public func checked() throws(RedisError) -> RedisReply {
        if case .error(let text) = self { throw .server(text) }
        return self
    }

    /// The leading upper-case word of a server error text, e.g. `NOSCRIPT`.
    static func errorCode(of text: String) -> String? {
        let word = text.prefix { $0 != " " }
        guard !word.isEmpty, word.allSatisfy({ ($0 >= "A" && $0 <= "Z") || $0 == "_" }) else { return nil }
        return String(word)
    }
}

extension RedisReply: CustomStringConvertible {
    public var description: String {
        switch self {
        case .status(let text): return "+\(text)"
        case .error(let text): return "-\(text)"
        case .integer(let value): return ":\(value)"
        case .null: return "(nil)"
        case .array(let elements): return "[" + elements.map(\.description).joined(separator: ", ") + "]"
        case .bulk(let bytes):
            if let text = string { return "\"\(text)\"" }
            return "<"
                + bytes.map { byte in
                    let hex = String(byte, radix: 16)
                    return byte < 16 ? "0" + hex : hex
                }.joined() + ">"
        }
    }
}
