import RedisStore

/// A whole small hash or set (or a missing key) as read from Redis, so any read of one of its members is
/// answered from memory: the first `HGET gbans <user>` of a new user needs no round trip once the list
/// has been read, where a reply cached per command would need one per user.
enum KeySnapshot: Equatable {
    case missing
    case hash([ByteKey: [UInt8]])
    case set(Set<ByteKey>)

    /// Hashes and sets up to this many members are read whole; larger ones are cached per command.
    static let maxMembers = 512

    /// Reads a key whole if it is a small hash or set, or missing; else `false`. In a pipeline beside the
    /// command that missed, so the first read costs no extra round trip.
    static func fetch(_ key: [UInt8]) -> [[UInt8]] {
        [Array("eval".utf8), Array(script.utf8), Array("1".utf8), key, Array(String(maxMembers).utf8)]
    }

    private static let script = """
        local kind = redis.call('TYPE', KEYS[1]).ok
        local limit = tonumber(ARGV[1])
        if kind == 'none' then return {'none'} end
        if kind == 'hash' and redis.call('HLEN', KEYS[1]) <= limit then return {'hash', redis.call('HGETALL', KEYS[1])} end
        if kind == 'set' and redis.call('SCARD', KEYS[1]) <= limit then return {'set', redis.call('SMEMBERS', KEYS[1])} end
        return false
        """

    /// The snapshot in `fetch`'s reply; nil for a key too large (or of another type) to keep whole.
    init?(fetched reply: RedisReply) {
        guard case .array(let parts) = reply, case .bulk(let kind)? = parts.first else { return nil }
        let members: [[UInt8]]
        if parts.count == 2, case .array(let items) = parts[1] {
            members = items.compactMap { if case .bulk(let bytes) = $0 { bytes } else { nil } }
            guard members.count == items.count else { return nil }
        } else {
            members = []
        }
        switch String(decoding: kind, as: UTF8.self) {
        case "none": self = .missing
        case "hash":
            guard members.count % 2 == 0 else { return nil }
            var fields: [ByteKey: [UInt8]] = [:]
            for index in stride(from: 0, to: members.count, by: 2) {
                fields[ByteKey(members[index])] = members[index + 1]
            }
            self = .hash(fields)
        case "set": self = .set(Set(members.map(ByteKey.init)))
        default: return nil
        }
    }

    /// Redis's reply to a read of this key (`argv[0]` lowercased, `argv[1]` the key), or nil when the
    /// command is not one it can answer (another type's command: Redis gives the error).
    func answer(_ argv: [[UInt8]]) -> RedisReply? {
        let command = String(decoding: argv[0], as: UTF8.self)
        let rest = argv.dropFirst(2)
        switch (self, command, rest.count) {
        case (.missing, "get", 0), (.missing, "hget", 1): return .null
        case (.missing, "hexists", 1), (.missing, "hlen", 0), (.missing, "scard", 0), (.missing, "sismember", 1),
            (.missing, "strlen", 0):
            return .integer(0)
        case (.missing, "hgetall", 0), (.missing, "hkeys", 0), (.missing, "hvals", 0), (.missing, "smembers", 0):
            return .array([])
        case (.missing, "hmget", 1...): return .array(rest.map { _ in .null })
        case (.missing, "smismember", 1...): return .array(rest.map { _ in .integer(0) })
        case (.hash(let fields), "hget", 1): return fields[ByteKey(rest.first!)].map(RedisReply.bulk) ?? .null
        case (.hash(let fields), "hexists", 1): return .integer(fields[ByteKey(rest.first!)] == nil ? 0 : 1)
        case (.hash(let fields), "hlen", 0): return .integer(Int64(fields.count))
        case (.hash(let fields), "hmget", 1...):
            return .array(rest.map { fields[ByteKey($0)].map(RedisReply.bulk) ?? .null })
        case (.hash(let fields), "hgetall", 0):
            return .array(fields.flatMap { [RedisReply.bulk($0.key.bytes), .bulk($0.value)] })
        case (.hash(let fields), "hkeys", 0): return .array(fields.keys.map { .bulk($0.bytes) })
        case (.hash(let fields), "hvals", 0): return .array(fields.values.map(RedisReply.bulk))
        case (.set(let members), "sismember", 1): return .integer(members.contains(ByteKey(rest.first!)) ? 1 : 0)
        case (.set(let members), "smismember", 1...):
            return .array(rest.map { .integer(members.contains(ByteKey($0)) ? 1 : 0) })
        case (.set(let members), "scard", 0): return .integer(Int64(members.count))
        case (.set(let members), "smembers", 0): return .array(members.map { .bulk($0.bytes) })
        default: return nil
        }
    }

    var memberCount: Int {
        switch self {
        case .missing: 1
        case .hash(let fields): max(1, fields.count)
        case .set(let members): max(1, members.count)
        }
    }
}
