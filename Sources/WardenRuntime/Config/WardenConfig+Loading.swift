import Foundation
import RedisStore
import TOMLKit

extension WardenConfig {
    /// Reads a TOML file, then applies `WARDEN_TOKEN` and `WARDEN_REDIS_URL` from the environment.
    /// - Throws: `ConfigError` naming the first bad field.
    public static func load(path: String?, environment: [String: String]) throws(ConfigError) -> WardenConfig {
        var config = WardenConfig()
        if let path {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigError(field: nil, "cannot read \(path)")
            }
            try config.apply(toml: String(decoding: data, as: UTF8.self))
        }
        if let token = environment["WARDEN_TOKEN"], !token.isEmpty { config.token = Secret(token) }
        if let url = environment["WARDEN_REDIS_URL"], !url.isEmpty { config.redisURL = Secret(url) }
        try config.validate()
        return config
    }

    /// Applies the settings of a TOML document over the current values.
    public mutating func apply(toml text: String) throws(ConfigError) {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(
                field: nil,
                "TOML syntax error at line \(error.source.begin.line): \(error.description)"
            )
        } catch {
            throw ConfigError(field: nil, "TOML syntax error")
        }
        let reader = TOMLReader(table: table, path: "")
        try reader.allow([
            "token", "sudo_users", "redis", "plugins", "runtime", "bot", "telegram", "webhook", "outbox", "status",
        ])
        if let token = try reader.string("token") { self.token = Secret(token) }
        if let users = try reader.integers("sudo_users") { sudoUsers = users }
        if let redis = try reader.section("redis") {
            try redis.allow(["url", "prefix", "cache"])
            if let url = try redis.string("url") { redisURL = Secret(url) }
            if let cache = try redis.bool("cache") { redisCache = cache }
            if let prefix = try redis.string("prefix") { redisPrefix = prefix }
        }
        if let plugins = try reader.section("plugins") {
            try plugins.allow(["directory", "enabled", "watch"])
            if let watch = try plugins.bool("watch") { watchPlugins = watch }
            if let directory = try plugins.string("directory") { pluginDirectory = directory }
            if let enabled = try plugins.strings("enabled") { self.plugins = enabled }
        }
        if let runtime = try reader.section("runtime") {
            try runtime.allow(["old_update_age", "instruction_budget", "lua_memory_mb", "workers"])
            if let age = try runtime.integer("old_update_age") { oldUpdateAge = Int(age) }
            if let budget = try runtime.integer("instruction_budget") { instructionBudget = budget }
            if let memory = try runtime.integer("lua_memory_mb") { luaMemoryMB = Int(memory) }
            if let workers = try runtime.integer("workers") { self.workers = Int(workers) }
        }
        if let telegram = try reader.section("telegram") {
            try telegram.allow(["api_base_url", "polling_timeout"])
            if let url = try telegram.string("api_base_url") { apiBaseURL = url }
            if let timeout = try telegram.integer("polling_timeout") { pollingTimeout = Int(timeout) }
        }
        if let webhook = try reader.section("webhook") {
            try webhook.allow([
                "url", "listen_host", "listen_port", "secret", "max_connections", "self_signed_certificate",
            ])
            if let url = try webhook.string("url") { webhookURL = url }
            if let host = try webhook.string("listen_host") { webhookListenHost = host }
            if let port = try webhook.integer("listen_port") { webhookListenPort = Int(port) }
            if let secret = try webhook.string("secret") { webhookSecret = Secret(secret) }
            if let connections = try webhook.integer("max_connections") { webhookMaxConnections = Int(connections) }
            if let selfSigned = try webhook.bool("self_signed_certificate") {
                webhookSelfSignedCertificate = selfSigned
            }
        }
        if let status = try reader.section("status") {
            try status.allow(["listen_host", "listen_port"])
            if let host = try status.string("listen_host") { statusListenHost = host }
            if let port = try status.integer("listen_port") { statusListenPort = Int(port) }
        }
        if let outbox = try reader.section("outbox") {
            try outbox.allow(["global_per_second", "group_per_minute", "chat_per_second", "delete_batch_window"])
            if let value = try outbox.number("global_per_second") { self.outbox.globalPerSecond = value }
            if let value = try outbox.number("group_per_minute") { self.outbox.groupPerMinute = value }
            if let value = try outbox.number("chat_per_second") { self.outbox.chatPerSecond = value }
            if let value = try outbox.number("delete_batch_window") { self.outbox.deleteBatchWindow = value }
        }
        if let bot = try reader.section("bot") {
            try bot.allow(["username", "id"])
            if let username = try bot.string("username") { botUsername = username }
            if let id = try bot.integer("id") { botID = id }
        }
    }

    /// Checks ranges and formats that TOML types alone do not.
    public func validate() throws(ConfigError) {
        if let token,
            token.exposedValue.firstIndex(of: ":") == nil || token.exposedValue.contains(where: \.isWhitespace)
        {
            throw ConfigError(field: "token", "does not look like a bot token (expected <digits>:<secret>)")
        }
        let url = redisURL.exposedValue
        if !(url.hasPrefix("redis://") || url.hasPrefix("unix://")) {
            throw ConfigError(field: "redis.url", "must start with redis:// or unix://")
        }
        do {
            _ = try RedisKeySchema(prefix: redisPrefix)
        } catch {
            throw ConfigError(field: "redis.prefix", error.message)
        }
        for (index, name) in plugins.enumerated() where !Self.isPluginName(name) {
            throw ConfigError(
                field: "plugins.enabled[\(index)]",
                "'\(name)' is not a plugin name (letters, digits, _ and -)"
            )
        }
        if Set(plugins).count != plugins.count {
            throw ConfigError(field: "plugins.enabled", "lists a plugin twice")
        }
        if oldUpdateAge < 0 { throw ConfigError(field: "runtime.old_update_age", "must be ≥ 0") }
        if instructionBudget < 10_000 { throw ConfigError(field: "runtime.instruction_budget", "must be ≥ 10000") }
        if luaMemoryMB < 4 { throw ConfigError(field: "runtime.lua_memory_mb", "must be ≥ 4") }
        if workers < 0 || workers > 256 { throw ConfigError(field: "runtime.workers", "must be 0 to 256") }
        if !(apiBaseURL.hasPrefix("https://") || apiBaseURL.hasPrefix("http://")) {
            throw ConfigError(field: "telegram.api_base_url", "must start with https:// or http://")
        }
        if pollingTimeout < 0 || pollingTimeout > 50 {
            throw ConfigError(field: "telegram.polling_timeout", "must be 0 to 50")
        }
        if let webhookURL, !webhookURL.hasPrefix("https://") && !webhookURL.hasPrefix("http://") {
            throw ConfigError(field: "webhook.url", "must be an https:// URL")
        }
        if !(1...65535).contains(webhookListenPort) {
            throw ConfigError(field: "webhook.listen_port", "must be 1 to 65535")
        }
        if !(0...65535).contains(statusListenPort) {
            throw ConfigError(field: "status.listen_port", "must be 0 (off) to 65535")
        }
        if !(1...100).contains(webhookMaxConnections) {
            throw ConfigError(field: "webhook.max_connections", "must be 1 to 100")
        }
        if let secret = webhookSecret?.exposedValue,
            secret.isEmpty || secret.count > 256
                || !secret.utf8.allSatisfy({ CommandParser.isNameByte($0) || $0 == UInt8(ascii: "-") })
        {
            // Telegram allows 1-256 characters A-Z, a-z, 0-9, _ and -.
            throw ConfigError(field: "webhook.secret", "must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        }
        for (field, value) in [
            ("outbox.global_per_second", outbox.globalPerSecond), ("outbox.group_per_minute", outbox.groupPerMinute),
            ("outbox.chat_per_second", outbox.chatPerSecond),
        ] where !(value > 0) {
            throw ConfigError(field: field, "must be positive")
        }
    }

    static func isPluginName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { CommandParser.isNameByte($0) || $0 == UInt8(ascii: "-") }
    }
}

/// Typed reads from one TOML table, with errors that name the dotted field.
private struct TOMLReader {
    let table: TOMLTable
    let path: String

    func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func allow(_ keys: Set<String>) throws(ConfigError) {
        if let unknown = table.keys.sorted().first(where: { !keys.contains($0) }) {
            throw ConfigError(
                field: field(unknown),
                "unknown setting (known here: \(keys.sorted().joined(separator: ", ")))"
            )
        }
    }

    func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = table[key] else { return nil }
        guard let text = value.string else { throw ConfigError(field: field(key), "expected a string") }
        return text
    }

    func integer(_ key: String) throws(ConfigError) -> Int64? {
        guard let value = table[key] else { return nil }
        guard let number = value.int else { throw ConfigError(field: field(key), "expected an integer") }
        return Int64(number)
    }

    func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let value = table[key] else { return nil }
        guard let flag = value.bool else { throw ConfigError(field: field(key), "expected true or false") }
        return flag
    }

    func number(_ key: String) throws(ConfigError) -> Double? {
        guard let value = table[key] else { return nil }
        guard let number = value.double ?? value.int.map(Double.init) else {
            throw ConfigError(field: field(key), "expected a number")
        }
        return number
    }

    func integers(_ key: String) throws(ConfigError) -> [Int64]? {
        guard let value = table[key] else { return nil }
        guard let array = value.array else { throw ConfigError(field: field(key), "expected a list of integers") }
        var result: [Int64] = []
        for (index, item) in array.enumerated() {
            guard let number = item.int else {
                throw ConfigError(field: "\(field(key))[\(index)]", "expected an integer")
            }
            result.append(Int64(number))
        }
        return result
    }

    func strings(_ key: String) throws(ConfigError) -> [String]? {
        guard let value = table[key] else { return nil }
        guard let array = value.array else { throw ConfigError(field: field(key), "expected a list of strings") }
        var result: [String] = []
        for (index, item) in array.enumerated() {
            guard let text = item.string else {
                throw ConfigError(field: "\(field(key))[\(index)]", "expected a string")
            }
            result.append(text)
        }
        return result
    }

    func section(_ key: String) throws(ConfigError) -> TOMLReader? {
        guard let value = table[key] else { return nil }
        guard let section = value.table else { throw ConfigError(field: field(key), "expected a table ([\(key)])") }
        return TOMLReader(table: section, path: field(key))
    }
}
