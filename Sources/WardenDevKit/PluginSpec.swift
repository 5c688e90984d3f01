import Foundation
import LuaHost
public import WardenJSON
import WardenRuntime

/// A plugin spec file (docs/plugin-testing.md): a small world and the cases played in it.
public struct PluginSpec: Sendable {
    public struct User: Sendable {
        public let name: String
        /// The control API body (`first_name`, `username`, `is_bot`, …).
        public let body: JSONValue
    }

    public struct Chat: Sendable {
        public let name: String
        public let type: String
        /// For private chats: the user on the other side.
        public let user: String?
        public let title: String?
        public let username: String?
        public let creator: String?
        /// Telegram admins (by name) and their rights.
        public let admins: [(name: String, rights: [String])]
        public let members: [String]
        public let botStatus: String
        public let botRights: [String]
    }

    public struct Case: Sendable {
        public let name: String
        public let steps: [JSONValue]
        /// Seconds a positive expectation waits.
        public let timeout: Double
    }

    public let path: String
    public let plugins: [String]
    public let sudo: [String]
    public let users: [User]
    public let chats: [Chat]
    public let cases: [Case]

    /// What a bot gets when a spec does not say: every right a moderation bot asks for.
    static let moderationRights = [
        "can_delete_messages", "can_restrict_members", "can_pin_messages", "can_invite_users",
        "can_promote_members", "can_change_info", "can_manage_chat",
    ]

    /// Runs the file in a Lua sandbox (no host API) and reads the table it returns.
    public static func load(path: String) throws(SpecError) -> PluginSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SpecError(path, "cannot read the file")
        }
        let json: JSONValue
        do {
            let lua = try LuaState(memoryCap: 32 << 20, instructionBudget: 10_000_000)
            defer { lua.close() }
            let environment = try LuaSandbox(state: lua).makeEnvironment(api: nil)
            let chunk = try lua.load(Array(data), chunkName: "@" + path, environment: environment)
            json = try JSONValue(lua: try lua.call(chunk).first ?? .nil)
        } catch let error as LuaError {
            throw SpecError(path, error.message)
        } catch {
            throw SpecError(path, "\(error)")
        }
        return try PluginSpec(path: path, json: json)
    }

    init(path: String, json: JSONValue) throws(SpecError) {
        self.path = path
        guard case .object = json else { throw SpecError(path, "the file must return a table") }
        plugins = try Self.names(json["plugins"], "plugins", path)
        sudo = try Self.names(json["sudo"], "sudo", path)
        users = (json["users"]?.object ?? [:]).sorted { $0.key < $1.key }.map { User(name: $0.key, body: $0.value) }
        var chats: [Chat] = []
        for (name, body) in (json["chats"]?.object ?? [:]).sorted(by: { $0.key < $1.key }) {
            chats.append(try Self.chat(name, body, path))
        }
        self.chats = chats
        guard let cases = json["cases"]?.array, !cases.isEmpty else {
            throw SpecError(path, "`cases` must be a non-empty list")
        }
        let timeout = json["timeout"]?.double ?? 5
        self.cases = try cases.enumerated().map { (index, item) throws(SpecError) in
            guard let name = item["name"]?.string else { throw SpecError(path, "case \(index + 1) has no `name`") }
            guard let steps = item["steps"]?.array else {
                throw SpecError(path, "case \"\(name)\" has no `steps` list")
            }
            return Case(name: name, steps: steps, timeout: item["timeout"]?.double ?? timeout)
        }
        let known = Set(users.map(\.name) + chats.map(\.name))
        guard known.count == users.count + chats.count else {
            throw SpecError(path, "a user and a chat share a name; names must be unique")
        }
    }

    private static func names(_ value: JSONValue?, _ field: String, _ path: String) throws(SpecError) -> [String] {
        guard let value, !value.isNull else { return [] }
        if case .object(let fields) = value, fields.isEmpty { return [] }
        guard let items = value.array, items.allSatisfy({ $0.string != nil }) else {
            throw SpecError(path, "`\(field)` must be a list of names")
        }
        return items.compactMap(\.string)
    }

    private static func chat(_ name: String, _ body: JSONValue, _ path: String) throws(SpecError) -> Chat {
        let type = body["type"]?.string ?? "supergroup"
        guard ["private", "group", "supergroup", "channel"].contains(type) else {
            throw SpecError(path, "chat \(name): unknown type \(type)")
        }
        if type == "private" && body["user"]?.string == nil {
            throw SpecError(path, "chat \(name): a private chat needs `user`")
        }
        var admins: [(name: String, rights: [String])] = []
        for (admin, rights) in (body["admins"]?.object ?? [:]).sorted(by: { $0.key < $1.key }) {
            admins.append((admin, rights.array?.compactMap(\.string) ?? []))
        }
        return Chat(
            name: name,
            type: type,
            user: body["user"]?.string,
            title: body["title"]?.string,
            username: body["username"]?.string,
            creator: body["creator"]?.string,
            admins: admins,
            members: try names(body["members"], "chats.\(name).members", path),
            botStatus: body["bot_status"]?.string ?? (type == "private" ? "member" : "administrator"),
            botRights: body["bot_rights"].map { $0.array?.compactMap(\.string) ?? [] }
                ?? (type == "channel" ? ["can_post_messages", "can_delete_messages"] : moderationRights)
        )
    }
}

/// A spec file that cannot be read, or a step that cannot be played.
public struct SpecError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ path: String, _ message: String) { description = "\(path): \(message)" }
    init(_ message: String) { description = message }
}
