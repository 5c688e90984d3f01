import Foundation
import Logging
import LuaHost
import RedisStore
import WardenJSON

/// The Swift primitives behind the prelude (`host.*`). Each returns values or
/// throws `LuaHostError`, which the C trampoline raises in Lua after return.
enum HostFunctions {
    /// Commands a plugin may not send: they would block the worker, change the
    /// server, run code there, or reach beyond the bot's own data.
    static let forbiddenRedisCommands: Set<ByteKey> = Set(
        [
            "flushall", "flushdb", "shutdown", "config", "debug", "module", "script", "eval", "evalsha", "eval_ro",
            "evalsha_ro", "function", "fcall", "fcall_ro", "save", "bgsave", "bgrewriteaof", "replicaof", "slaveof",
            "cluster", "acl", "client", "monitor", "subscribe", "psubscribe", "ssubscribe", "unsubscribe",
            "punsubscribe", "migrate", "sync", "psync", "failover", "swapdb", "select", "auth", "hello", "quit",
            "reset", "wait", "blpop", "brpop", "brpoplpush", "blmove", "blmpop", "bzpopmin", "bzpopmax", "bzmpop",
            "xread", "xreadgroup", "multi", "exec", "discard", "watch", "unwatch", "latency", "lastsave", "role",
            "slowlog", "restore", "dump", "pfdebug", "pfselftest", "readonly", "readwrite", "asking",
        ].map(ByteKey.init)
    )

    /// The `host` table the prelude receives.
    static func install(in lua: LuaState, context: HostContext) -> LuaRef {
        let table = lua.newTableRef()
        let functions: [(String, LuaHostFunction)] = [
            ("redis", { _, arguments throws(LuaHostError) in try redis(context, arguments) }),
            ("redis_pipeline", { _, arguments throws(LuaHostError) in try redisPipeline(context, arguments) }),
            ("cache_stamp", { _, arguments in cacheStamp(context, arguments) }),
            ("api", { state, arguments throws(LuaHostError) in try api(context, state, arguments) }),
            ("role", { _, arguments throws(LuaHostError) in try role(context, arguments) }),
            ("log", { _, arguments throws(LuaHostError) in log(context, arguments) }),
            ("json_encode", { _, arguments throws(LuaHostError) in try jsonEncode(arguments) }),
            ("json_decode", { _, arguments throws(LuaHostError) in try jsonDecode(arguments) }),
            ("read_lib", { _, arguments throws(LuaHostError) in readLibrary(context, arguments) }),
            (
                "request_reload",
                { _, _ throws(LuaHostError) in
                    context.reload.request()
                    return []
                }
            ),
            ("current_chat", { _, _ throws(LuaHostError) in [context.currentChatID.map { .integer($0) } ?? .nil] }),
            ("save_config", { _, arguments throws(LuaHostError) in try saveConfig(context, arguments) }),
            ("user_id", { _, arguments throws(LuaHostError) in userID(context, arguments) }),
            ("user_name", { _, arguments throws(LuaHostError) in userName(context, arguments) }),
            ("user_names", { _, arguments throws(LuaHostError) in userNames(context, arguments) }),
            ("after", { state, arguments throws(LuaHostError) in try after(context, state, arguments) }),
            ("owns_chat", { _, arguments throws(LuaHostError) in try ownsChat(context, arguments) }),
        ]
        for (name, function) in functions {
            lua.setField(name, of: table, to: .function(lua.hostFunctionRef(function)))
        }
        installReadCopies(in: lua, table: table, context: context)
        return table
    }

    static func redis(_ context: HostContext, _ arguments: [LuaValue]) throws(LuaHostError) -> [LuaValue] {
        let argv = try redisCommand(arguments, position: nil)
        guard context.redis != nil else { throw LuaHostError("redis: not configured") }
        do {
            return [try luaValue(of: context.send([argv])[0], command: argv[0])]
        } catch let error as LuaHostError {
            throw error
        } catch {
            throw LuaHostError("redis: \(error)")
        }
    }

    /// `redis:pipeline(...)`: every command in one round trip; the replies in a list, in order. A command
    /// the server refused raises once all have run (what ran, ran).
    static func redisPipeline(_ context: HostContext, _ arguments: [LuaValue]) throws(LuaHostError) -> [LuaValue] {
        guard case .table(let list) = arguments.first ?? .nil, list.fields.isEmpty else {
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
        guard !commands.isEmpty else { return [.table(LuaTable())] }
        guard context.redis != nil else { throw LuaHostError("redis: not configured") }
        let replies: [RedisReply]
        do {
            replies = try context.send(commands)
        } catch {
            throw LuaHostError("redis: \(error)")
        }
        var values: [LuaValue] = []
        for (argv, reply) in zip(commands, replies) {
            let value = try luaValue(of: reply, command: argv[0])
            values.append(value.isNil ? .boolean(false) : value)
        }
        return [.table(LuaTable(array: values))]
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
        guard !forbiddenRedisCommands.contains(ByteKey(command)) else {
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

    /// Redis's own Lua conventions: status → {ok=…}, nil bulk → nil (false inside arrays).
    static func luaValue(of reply: RedisReply, command: [UInt8]) throws(LuaHostError) -> LuaValue {
        switch reply {
        case .status(let text): return .table(LuaTable(["ok": .string(text)]))
        case .error(let text): throw LuaHostError("redis: \(String(decoding: command, as: UTF8.self)): \(text)")
        case .integer(let number): return .integer(number)
        case .bulk(let bytes): return .string(bytes)
        case .null: return .nil
        case .array(let items):
            var array: [LuaValue] = []
            array.reserveCapacity(items.count)
            for item in items {
                let value = try luaValue(of: item, command: command)
                array.append(value.isNil ? .boolean(false) : value)
            }
            return .table(LuaTable(array: array))
        }
    }

    static func luaNumberText(_ number: Double) -> String {
        if number.rounded() == number, let exact = Int64(exactly: number) { return String(exact) }
        return String(number)
    }

    static func api(
        _ context: HostContext,
        _ state: LuaState,
        _ arguments: [LuaValue]
    ) throws(LuaHostError)
        -> [LuaValue]
    {
        guard arguments.count >= 3, let plugin = arguments[0].stringValue, let method = arguments[1].stringValue
        else { throw LuaHostError("bot.api(method, params, callback): method name expected") }
        guard !method.isEmpty, method.utf8.allSatisfy({ CommandParser.isNameByte($0) }) else {
            throw LuaHostError("bot.api: '\(method)' is not a Bot API method name")
        }
        let params: [String: JSONValue]
        switch arguments[2] {
        case .nil: params = [:]
        case .table(let table) where table.isEmpty: params = [:]
        case .table:
            do {
                guard case .object(let object) = try JSONValue(lua: arguments[2]) else {
                    throw JSONConversionError(description: "params must be a table with named fields")
                }
                params = object
            } catch {
                throw LuaHostError("bot.api(\(method)): \(error)")
            }
        default: throw LuaHostError("bot.api(\(method)): params must be a table, not \(arguments[2].typeName)")
        }
        var callback: LuaRef?
        if arguments.count > 3 {
            switch arguments[3] {
            case .function(let ref):
                state.retain(ref)
                callback = ref
            case .nil: break
            default: throw LuaHostError("bot.api(\(method)): callback must be a function")
            }
        }
        context.submit(method: method, params: params, plugin: plugin, callback: callback)
        return [true]
    }

    /// `cache_stamp()`: the whole cache's; `cache_stamp(key, …)`: the stamp of those keys alone.
    static func cacheStamp(_ context: HostContext, _ arguments: [LuaValue]) -> [LuaValue] {
        // Bytes as Lua gave them: settings.all asks on every message, for every plugin that reads settings.
        let keys = arguments.compactMap { argument -> [UInt8]? in
            if case .string(let bytes) = argument { bytes } else { nil }
        }
        let stamp = keys.isEmpty ? context.cacheStamp : context.cacheStamp(of: keys)
        return [stamp.map { .integer(Int64(truncatingIfNeeded: $0)) } ?? .nil]
    }

    static func role(_ context: HostContext, _ arguments: [LuaValue]) throws(LuaHostError) -> [LuaValue] {
        guard arguments.count >= 2, let chatID = arguments[0].integerValue, let userID = arguments[1].integerValue
        else { throw LuaHostError("role: chat id and user id must be integers") }
        let senderChat = arguments.count > 2 ? arguments[2].integerValue : nil
        return [.string(context.role(chatID: chatID, userID: userID, senderChatID: senderChat).description)]
    }

    static func log(_ context: HostContext, _ arguments: [LuaValue]) -> [LuaValue] {
        let level = arguments.first?.stringValue.flatMap { Logger.Level(rawValue: $0) } ?? .info
        let plugin = arguments.count > 1 ? arguments[1].stringValue ?? "?" : "?"
        let message = arguments.count > 2 ? arguments[2].stringValue ?? "" : ""
        context.logger.log(
            level: level,
            "plugin log",
            metadata: ["plugin.name": "\(plugin)", "text": "\(message)"]
        )
        return []
    }

    static func jsonEncode(_ arguments: [LuaValue]) throws(LuaHostError) -> [LuaValue] {
        do {
            return [.string(try JSONValue(lua: arguments.first ?? .nil).serialized(sortedKeys: true))]
        } catch {
            throw LuaHostError("json.encode: \(error)")
        }
    }

    static func jsonDecode(_ arguments: [LuaValue]) throws(LuaHostError) -> [LuaValue] {
        guard case .string(let bytes) = arguments.first ?? .nil else {
            throw LuaHostError("json.decode: string expected")
        }
        do {
            return [LuaValue(json: try JSONValue(parsing: bytes))]
        } catch {
            throw LuaHostError("json.decode: \(error)")
        }
    }

    /// Reads `plugins/lib/<name>.lua` (dots are folders), or `plugins/lang/<code>.lua` for `lang.<code>`;
    /// only names of letters, digits and `_`.
    static func readLibrary(_ context: HostContext, _ arguments: [LuaValue]) -> [LuaValue] {
        guard let name = arguments.first?.stringValue,
            name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ part in
                !part.isEmpty && part.utf8.allSatisfy { CommandParser.isNameByte($0) }
            })
        else { return [.nil, "bad module name"] }
        // Translations sit beside the plugins, not among libraries, so a translator edits one visible file.
        let isLanguage = name.hasPrefix("lang.") && name.split(separator: ".").count == 2
        let relative =
            isLanguage
            ? "lang/" + name.dropFirst("lang.".count) + ".lua"
            : "lib/" + name.replacingOccurrences(of: ".", with: "/") + ".lua"
        let path = context.pluginDirectory + "/" + relative
        guard let data = FileManager.default.contents(atPath: path) else {
            return [.nil, .string("module '\(name)' not found in plugins/\(isLanguage ? "lang" : "lib")")]
        }
        return [.string(Array(data)), .string("plugins/" + relative)]
    }

    /// `after(seconds, fn)`: runs `fn()` on this worker once `seconds` have passed (host.after(plugin, …)).
    static func after(
        _ context: HostContext,
        _ state: LuaState,
        _ arguments: [LuaValue]
    ) throws(LuaHostError)
        -> [LuaValue]
    {
        guard arguments.count >= 3, let plugin = arguments[0].stringValue else {
            throw LuaHostError("after(seconds, fn): seconds and a function expected")
        }
        let seconds: Double
        switch arguments[1] {
        case .integer(let value): seconds = Double(value)
        case .number(let value): seconds = value
        default: throw LuaHostError("after(seconds, fn): seconds must be a number, not \(arguments[1].typeName)")
        }
        guard case .function(let callback) = arguments[2] else {
            throw LuaHostError("after(seconds, fn): fn must be a function, not \(arguments[2].typeName)")
        }
        if let problem = context.timers.add(
            after: seconds,
            now: context.clock(),
            plugin: plugin,
            chatID: context.currentChatID,
            callback: callback
        ) {
            throw LuaHostError(problem)
        }
        state.retain(callback)
        return []
    }

    /// `shard.owns(chat_id)`: whether this worker handles that chat's updates.
    static func ownsChat(_ context: HostContext, _ arguments: [LuaValue]) throws(LuaHostError) -> [LuaValue] {
        guard let chatID = arguments.first?.integerValue else {
            throw LuaHostError("shard.owns(chat_id): an integer chat id expected")
        }
        return [.boolean(context.shard.owns(chatID))]
    }

    /// The name of a user the bot has seen, or nil.
    static func userName(_ context: HostContext, _ arguments: [LuaValue]) -> [LuaValue] {
        guard let redis = context.redis, let id = arguments.first?.integerValue,
            let reply = try? redis.call("HGET", context.keys.names, String(id)), let name = reply.string
        else { return [.nil] }
        return [.string(name)]
    }

    /// The names of the users in a list of ids, in one round trip: a table from each id the bot has seen
    /// (as an integer) to "First Last".
    static func userNames(_ context: HostContext, _ arguments: [LuaValue]) -> [LuaValue] {
        let ids = arguments.first?.tableValue?.array.compactMap(\.integerValue) ?? []
        guard let redis = context.redis, !ids.isEmpty,
            let names =
                (try? redis.call((["HMGET", context.keys.names] + ids.map { String($0) }).map { Array($0.utf8) }))?
                .array
        else { return [.table(LuaTable())] }
        let found = zip(ids, names).compactMap { id, name in
            name.string.map { (key: LuaValue.integer(id), value: LuaValue.string($0)) }
        }
        return [.table(LuaTable(fields: found))]
    }

    /// The id of a user seen with this `@username` (case-insensitive), or nil.
    static func userID(_ context: HostContext, _ arguments: [LuaValue]) -> [LuaValue] {
        guard let redis = context.redis, var name = arguments.first?.stringValue else { return [.nil] }
        if name.hasPrefix("@") { name.removeFirst() }
        guard let reply = try? redis.call("HGET", context.keys.usernames, name.lowercased()), let id = reply.string,
            let number = Int64(id)
        else { return [.nil] }
        return [.integer(number)]
    }

    static func saveConfig(_ context: HostContext, _ arguments: [LuaValue]) throws(LuaHostError) -> [LuaValue] {
        guard let connection = context.redis else { throw LuaHostError("save_config: redis not configured") }
        do {
            let json = try JSONValue(lua: arguments.first ?? .nil)
            _ = try connection.call(["SET", context.keys.configOverlay, json.jsonString].map { Array($0.utf8) })
            return [true]
        } catch {
            throw LuaHostError("save_config: \(error)")
        }
    }
}

extension LuaValue {
    /// A Lua copy of a JSON value (null becomes nil).
    init(json: JSONValue) {
        switch json {
        case .null: self = .nil
        case .bool(let flag): self = .boolean(flag)
        case .int(let number): self = .integer(number)
        case .double(let number): self = .number(number)
        case .string(let text): self = .string(text)
        case .array(let items): self = .table(LuaTable(array: items.map(LuaValue.init(json:))))
        case .object(let fields):
            self = .table(LuaTable(fields: fields.map { (key: .string($0.key), value: LuaValue(json: $0.value)) }))
        }
    }
}
