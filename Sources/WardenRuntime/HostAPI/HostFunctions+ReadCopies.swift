import LuaHost

/// The host side of the copies a Lua state keeps of the read cache (the prelude's `copies`): the keys a
/// plugin reads on every message (a chat's pending captchas, the global ban list) and their stamps,
/// answered in Lua without a host call, and dropped by what the cache says changed.
extension HostFunctions {
    /// `cache_generation`, read without a host call, and the two functions behind the copies; nothing
    /// without a read cache (the prelude then asks the host every time).
    static func installReadCopies(in lua: LuaState, table: LuaRef, context: HostContext) {
        guard let cache = context.readCache else { return }
        lua.setField("cache_generation", of: table, to: .function(lua.readerRef(of: cache.generationCounter)))
        let functions: [(String, LuaHostFunction)] = [
            ("cache_changes", { _, arguments in cacheChanges(cache, arguments) }),
            ("redis_copy", { _, arguments throws(LuaHostError) in try redisCopy(context, cache, arguments) }),
        ]
        for (name, function) in functions {
            lua.setField(name, of: table, to: .function(lua.hostFunctionRef(function)))
        }
    }

    /// `cache_changes(generation)`: the generation now, then the keys changed since `generation` as a
    /// list, or `true` when every copy must go.
    static func cacheChanges(_ cache: RedisReadCache, _ arguments: [LuaValue]) -> [LuaValue] {
        let since = arguments.first?.integerValue.map { UInt64(bitPattern: $0) }
        let (generation, keys) = cache.changes(since: since)
        let changed = keys.map { LuaValue.table(LuaTable(array: $0.map(LuaValue.string))) } ?? .boolean(true)
        return [.integer(Int64(bitPattern: generation)), changed]
    }

    /// `redis_copy(command, key, …)`: `redis(command, key, …)`'s reply, then the key whole (`kind` "hash",
    /// "set" or "none", and `members`: field → value, or member → true) when the cache now holds it so.
    static func redisCopy(
        _ context: HostContext,
        _ cache: RedisReadCache,
        _ arguments: [LuaValue]
    ) throws(LuaHostError) -> [LuaValue] {
        let reply = try redis(context, arguments)
        guard case .string(let key) = arguments.dropFirst().first, let snapshot = cache.snapshot(of: key) else {
            return reply
        }
        return reply + [.table(luaCopy(of: snapshot))]
    }

    static func luaCopy(of snapshot: KeySnapshot) -> LuaTable {
        switch snapshot {
        case .missing:
            return LuaTable(["kind": "none", "members": .table(LuaTable())])
        case .hash(let fields):
            let members = fields.map { (key: LuaValue.string($0.key.bytes), value: LuaValue.string($0.value)) }
            return LuaTable(["kind": "hash", "members": .table(LuaTable(fields: members))])
        case .set(let set):
            let members = set.map { (key: LuaValue.string($0.bytes), value: LuaValue.boolean(true)) }
            return LuaTable(["kind": "set", "members": .table(LuaTable(fields: members))])
        }
    }
}
