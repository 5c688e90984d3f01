import LuaHost

/// Loads one plugin file into a sandbox and checks its table against the
/// contract (yagop's shape): unknown keys, wrong types and malformed patterns
/// are load errors that name the plugin, never surprises on some later message.
struct PluginLoader {
    let lua: LuaState
    let sandbox: LuaSandbox
    /// The prelude's `make_api(plugin_name)`.
    let makeAPI: LuaRef
    /// Instructions a plugin's top-level code may run while loading.
    var loadBudget: Int64 = 5_000_000

    static let allowedKeys: Set<String> = [
        "description", "usage", "patterns", "run", "pre_process", "cron", "cron_interval", "cron_per_shard",
        "privileged", "moderated", "min_role", "on",
    ]

    /// Update kinds a plugin can handle with `on`. `message` goes through pre_process and patterns.
    static let updateKinds: Set<String> = [
        "edited_message", "channel_post", "edited_channel_post", "business_connection", "business_message",
        "edited_business_message", "deleted_business_messages", "guest_message", "message_reaction",
        "message_reaction_count", "inline_query", "chosen_inline_result", "callback_query", "shipping_query",
        "pre_checkout_query", "purchased_paid_media", "poll", "poll_answer", "my_chat_member", "chat_member",
        "chat_join_request", "chat_boost", "removed_chat_boost", "managed_bot",
    ]

    func load(name: String, path: String, source: [UInt8]) throws(PluginLoadError) -> Plugin {
        func fail(_ message: String) -> PluginLoadError { PluginLoadError(plugin: name, message: message) }
        let environment: LuaRef
        let table: LuaRef
        do {
            let api = try lua.callReturningRef(makeAPI) { state in
                state.push(name)
                return 1
            }
            defer { lua.release(api) }
            environment = try sandbox.makeEnvironment(api: api)
            let chunk = try lua.load(source, chunkName: "@" + path, environment: environment)
            defer { lua.release(chunk) }
            table = try lua.callReturningRef(chunk, budget: loadBudget)
        } catch {
            throw fail(error.message)
        }
        do {
            return try check(name: name, path: path, table: table, environment: environment)
        } catch {
            lua.release(table)
            lua.release(environment)
            throw error
        }
    }

    private func check(
        name: String,
        path: String,
        table: LuaRef,
        environment: LuaRef
    ) throws(PluginLoadError)
        -> Plugin
    {
        func fail(_ message: String) -> PluginLoadError { PluginLoadError(plugin: name, message: message) }
        guard lua.typeName(of: table) == "table" else {
            throw fail("the file must return a table (got \(lua.typeName(of: table)))")
        }
        let unknown = lua.fieldNames(of: table).filter { !Self.allowedKeys.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw fail(
                "unknown key(s) \(unknown.joined(separator: ", ")); allowed: \(Self.allowedKeys.sorted().joined(separator: ", "))"
            )
        }
        func scalar(_ key: String) -> LuaValue {
            (try? lua.field(key, of: table).get()) ?? .nil
        }
        func function(_ key: String, in owner: LuaRef) throws(PluginLoadError) -> LuaRef? {
            guard let ref = lua.fieldRef(key, of: owner) else { return nil }
            guard lua.typeName(of: ref) == "function" else {
                defer { lua.release(ref) }
                throw fail("'\(key)' must be a function, not a \(lua.typeName(of: ref))")
            }
            return ref
        }
        let plugin = Plugin(name: name, path: path, table: table, environment: environment)
        do throws(PluginLoadError) {
            plugin.run = try function("run", in: table)
            plugin.preProcess = try function("pre_process", in: table)
            plugin.cron = try function("cron", in: table)
            if let on = lua.fieldRef("on", of: table) {
                defer { lua.release(on) }
                guard lua.typeName(of: on) == "table" else { throw fail("'on' must be a table of handlers") }
                for kind in lua.fieldNames(of: on) {
                    guard Self.updateKinds.contains(kind) else {
                        throw fail(
                            "on.\(kind): not an update kind (one of \(Self.updateKinds.sorted().joined(separator: ", ")))"
                        )
                    }
                    plugin.handlers[kind] = try function(kind, in: on)
                }
            }
            plugin.description = try text(scalar("description"), key: "description", plugin: name)
            plugin.usage = try texts(scalar("usage"), key: "usage", plugin: name)
            for (position, source) in try texts(scalar("patterns"), key: "patterns", plugin: name).enumerated() {
                do {
                    plugin.patterns.append(try LuaPattern(source))
                } catch {
                    throw fail("pattern \(position + 1) \"\(source)\": \(error)")
                }
            }
            if !plugin.patterns.isEmpty && plugin.run == nil { throw fail("has patterns but no run function") }
            if plugin.run != nil && plugin.patterns.isEmpty { throw fail("has a run function but no patterns") }
            plugin.minRole = try role(
                privileged: scalar("privileged"),
                moderated: scalar("moderated"),
                minRole: scalar("min_role"),
                plugin: name
            )
            switch scalar("cron_interval") {
            case .nil: break
            case let value:
                guard let seconds = value.integerValue, seconds >= 1 else {
                    throw fail("'cron_interval' must be a whole number of seconds ≥ 1")
                }
                plugin.cronInterval = Double(seconds)
            }
            switch scalar("cron_per_shard") {
            case .nil: break
            case .boolean(let perShard): plugin.cronPerShard = perShard
            default: throw fail("'cron_per_shard' must be true or false")
            }
        } catch {
            plugin.run.map(lua.release)
            plugin.preProcess.map(lua.release)
            plugin.cron.map(lua.release)
            plugin.handlers.values.forEach(lua.release)
            throw error
        }
        return plugin
    }

    private func text(_ value: LuaValue, key: String, plugin: String) throws(PluginLoadError) -> String? {
        switch value {
        case .nil: return nil
        case .string: return value.stringValue
        default: throw PluginLoadError(plugin: plugin, message: "'\(key)' must be a string")
        }
    }

    private func texts(_ value: LuaValue, key: String, plugin: String) throws(PluginLoadError) -> [String] {
        switch value {
        case .nil: return []
        case .string: return [value.stringValue ?? ""]
        case .table(let table) where table.fields.isEmpty:
            var result: [String] = []
            for item in table.array {
                guard let text = item.stringValue else {
                    throw PluginLoadError(plugin: plugin, message: "'\(key)' must be a list of strings")
                }
                result.append(text)
            }
            return result
        default: throw PluginLoadError(plugin: plugin, message: "'\(key)' must be a list of strings")
        }
    }

    private func role(
        privileged: LuaValue,
        moderated: LuaValue,
        minRole: LuaValue,
        plugin: String
    )
        throws(PluginLoadError) -> Role
    {
        var role = Role.member
        if privileged.isTruthy { role = .sudo }
        if moderated.isTruthy { role = max(role, .mod) }
        switch minRole {
        case .nil: break
        case .string:
            guard let name = minRole.stringValue, let named = Role(name: name), named != .approved else {
                throw PluginLoadError(
                    plugin: plugin,
                    message: "'min_role' must be one of sudo, owner, admin, mod, member"
                )
            }
            role = max(role, named)
        default:
            throw PluginLoadError(plugin: plugin, message: "'min_role' must be a string")
        }
        return role
    }
}
