import LuaHost
import RedisStore

/// `host.redis`, `host.redis_pipeline` and `host.cache_stamp`: what plugins call on every message, so
/// they read their arguments off the Lua stack and push replies onto it without copies in between.
extension HostFunctions {
    /// Commands a plugin may not send: they would block the worker, change the
    /// server, run code there, or reach beyond the bot's own data.
    static let forbiddenRedisCommands: Set<[UInt8]> = Set(
        [
            "flushall", "flushdb", "shutdown", "config", "debug", "module", "script", "eval", "evalsha", "eval_ro",
            "evalsha_ro", "function", "fcall", "fcall_ro", "save", "bgsave", "bgrewriteaof", "replicaof", "slaveof",
            "cluster", "acl", "client", "monitor", "subscribe", "psubscribe", "ssubscribe", "unsubscribe",
            "punsubscribe", "migrate", "sync", "psync", "failover", "swapdb", "select", "auth", "hello", "quit",
            "reset", "wait", "blpop", "brpop", "brpoplpush", "blmove", "blmpop", "bzpopmin", "bzpopmax", "bzmpop",
            "xread", "xreadgroup", "multi", "exec", "discard", "watch", "unwatch", "latency", "lastsave", "role",
            "slowlog", "restore", "dump", "pfdebug", "pfselftest", "readonly", "readwrite", "asking",
        ].map { Array($0.utf8) }
    )

    /// `host.redis(name, ...)`: one command, through the read cache.
    static func redis(_ context: HostContext, _ call: inout LuaHostCall) throws(LuaHostError) {
        var arguments: [LuaValue] = []
        arguments.reserveCapacity(call.argumentCount)
        for position in 0..<call.argumentCount { arguments.append(try call.argument(position + 1)) }
        let argv = try redisCommand(arguments, position: nil)
        guard context.redis != nil else { throw LuaHostError("redis: not configured") }
        let reply: RedisReply
        do {
            reply = try context.send([argv])[0]
        } catch {
            throw LuaHostError("redis: \(error)")
        }
        try push(reply, command: argv[0], into: &call)
    }

    /// `redis:pipeline(...)`: every command in one round trip; the replies in a list, in order. A command
    /// the server refused raises once all have run (what ran, ran).
    static func redisPipeline(_ context: HostContext, _ call: inout LuaHostCall) throws(LuaHostError) {
        guard case .table(let list) = try call.argument(1), list.fields.isEmpty else {
            throw LuaHostError("redis:pipeline: a list of commands expected")
        }
        guard list.array.count <= 1000 else { throw LuaHostError("redis:pipeline: more than 1000 commands") }
        var commands: [[[UInt8]]] = []
        for (position, entry) in list.array.enumerated() {
            guard case .table(let command) = entry, command.fields.isEmpty else {
                throw LuaHostError("redis:pipeline: command \(position + 1) is not a list")
            }
            commands.append(try redisCommand(command.array, position: position + 1))
        }
        guard !commands.isEmpty else { return try call.push(.table(LuaTable())) }
        guard context.redis != nil else { throw LuaHostError("redis: not configured") }
        let replies: [RedisReply]
        do {
            replies = try context.send(commands)
        } catch {
            throw LuaHostError("redis: \(error)")
        }
        try call.reserve(bytes: replies.reduce(16) { $0 + $1.approximateBytes }, depth: 1)
        call.pushTable(arrayCount: replies.count)
        for (position, (argv, reply)) in zip(commands, replies).enumerated() {
            try push(reply, command: argv[0], into: &call, inArray: true)
            call.setIndex(Int64(position + 1))
        }
    }

    /// `redis:cache_stamp()`: ``RedisReadCache/stamp``, nil without a live cache.
    static func cacheStamp(_ context: HostContext, _ call: inout LuaHostCall) throws(LuaHostError) {
        guard let stamp = context.cacheStamp else { return call.pushNil() }
        call.push(Int64(truncatingIfNeeded: stamp))
    }

    /// A plugin's command as argv, the name lowercased; refuses forbidden commands and arguments that are
    /// not strings, numbers or booleans.
    /// Works on bytes (the name lowercased as Redis compares it, ASCII only): this runs for every read a
    /// plugin makes, cached ones included.
    static func redisCommand(_ arguments: [LuaValue], position: Int?) throws(LuaHostError) -> [[UInt8]] {
        var within: String { position.map { " (pipeline command \($0))" } ?? "" }
        guard case .string(let name) = arguments.first ?? .nil, !name.isEmpty else {
            throw LuaHostError("redis: command name expected\(within)")
        }
        let command = name.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }
        guard !forbiddenRedisCommands.contains(command) else {
            throw LuaHostError("redis: command '\(String(decoding: command, as: UTF8.self))' is not allowed in plugins")
        }
        var argv: [[UInt8]] = []
        argv.reserveCapacity(arguments.count)
        argv.append(command)
        for (index, argument) in arguments.dropFirst().enumerated() {
            switch argument {
            case .string(let bytes): argv.append(bytes)
            case .integer(let number): argv.append(Array(String(number).utf8))
            case .number(let number): argv.append(Array(luaNumberText(number).utf8))
            case .boolean(let flag): argv.append(Array((flag ? "1" : "0").utf8))
            default:
                throw LuaHostError(
                    "redis: argument \(index + 1) of '\(String(decoding: command, as: UTF8.self))' is a "
                        + "\(argument.typeName)\(within)"
                )
            }
        }
        return argv
    }

    /// Pushes a reply by Redis's own Lua conventions: status → {ok=…}, nil bulk → nil (false inside
    /// arrays); an error reply raises.
    static func push(
        _ reply: RedisReply,
        command: [UInt8],
        into call: inout LuaHostCall,
        inArray: Bool = false
    ) throws(LuaHostError) {
        if !inArray { try call.reserve(bytes: reply.approximateBytes, depth: 1) }
        switch reply {
        case .status(let text):
            call.pushTable(fieldCount: 1)
            call.push(text)
            call.setField("ok")
        case .error(let text): throw LuaHostError("redis: \(String(decoding: command, as: UTF8.self)): \(text)")
        case .integer(let number): call.push(number)
        case .bulk(let bytes): call.push(bytes: bytes)
        case .null: inArray ? call.push(false) : call.pushNil()
        case .array(let items):
            try call.reserve(bytes: 0, depth: 1)
            call.pushTable(arrayCount: items.count)
            for (offset, item) in items.enumerated() {
                try push(item, command: command, into: &call, inArray: true)
                call.setIndex(Int64(offset + 1))
            }
        }
    }

    static func luaNumberText(_ number: Double) -> String {
        if number.rounded() == number, let exact = Int64(exactly: number) { return String(exact) }
        return String(number)
    }
}

extension RedisReply {
    /// Roughly the bytes the reply takes once in Lua, as `LuaValue.approximateBytes` counts them.
    var approximateBytes: Int {
        switch self {
        case .status(let text): return 32 + text.utf8.count
        case .bulk(let bytes): return 16 + bytes.count
        case .array(let items): return items.reduce(16) { $0 + $1.approximateBytes }
        default: return 16
        }
    }
}
