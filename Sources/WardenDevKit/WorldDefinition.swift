import Foundation
import LuaHost
public import WardenJSON
import WardenRuntime

/// The users and chats a spec or a demo scenario plays in, by name, and the plugins and sudo users
/// of its bot (docs/plugin-testing.md).
public struct WorldDefinition: Sendable {
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

    public let plugins: [String]
    public let sudo: [String]
    public let users: [User]
    public let chats: [Chat]
    /// Workers (shards) of the bot: 1 unless the file says, so a spec can check what crosses shards.
    public let workers: Int

    /// What a bot gets when a spec does not say: every right a moderation bot asks for.
    static let moderationRights = [
        "can_delete_messages", "can_restrict_members", "can_pin_messages", "can_invite_users",
        "can_promote_members", "can_change_info", "can_manage_chat",
    ]

    /// Runs a Lua data file in a sandbox (no host API) and returns the table it returns, as JSON.
    static func readLuaTable(path: String) throws -> JSONValue {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SpecError(path, "cannot read the file")
        }
        do {
            let lua = try LuaState(memoryCap: 64 << 20, instructionBudget: 50_000_000)
            defer { lua.close() }
            let environment = try LuaSandbox(state: lua).makeEnvironment(api: nil)
            let helpers = (path as NSString).deletingLastPathComponent + "/lib"
            try installRequire(lua, environment: environment, directory: helpers)
            let chunk = try lua.load(Array(data), chunkName: "@" + path, environment: environment)
            let json = try JSONValue(lua: try lua.call(chunk).first ?? .nil)
            guard case .object = json else { throw SpecError(path, "the file must return a table") }
            return json
        } catch let error as SpecError {
            throw error
        } catch let error as LuaError {
            throw SpecError(path, error.message)
        } catch {
            throw SpecError(path, "\(error)")
        }
    }

    /// `require("NAME")` in a spec file runs `lib/NAME.lua` next to it (in the same sandbox) once and returns
    /// its value, so several specs can share helpers: a generated role matrix, say.
    private static func installRequire(_ lua: LuaState, environment: LuaRef, directory: String) throws(LuaError) {
        let source = lua.hostFunctionRef { _, arguments throws(LuaHostError) in
            guard let name = arguments.first?.stringValue, !name.isEmpty,
                name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
            else { throw LuaHostError("require(NAME): NAME is letters, digits and _, a file in \(directory)") }
            let path = directory + "/" + name + ".lua"
            guard let data = FileManager.default.contents(atPath: path) else {
                throw LuaHostError("no spec helper \(path)")
            }
            return [.string(Array(data)), .string(Array("@\(path)".utf8))]
        }
        defer { lua.release(source) }
        let setup = try lua.load(requireSource, chunkName: "=spec require", environment: environment)
        defer { lua.release(setup) }
        _ = try lua.call(setup, [.function(source)])
    }

    private static let requireSource = """
        local source_of, loaded = ..., {}
        function require(name)
          if loaded[name] == nil then
            local text, chunk_name = source_of(name)
            loaded[name] = assert(load(text, chunk_name, "t", _ENV))(name) or true
          end
          return loaded[name]
        end
        """

    init(path: String, json: JSONValue) throws {
        plugins = try Self.names(json["plugins"], "plugins", path)
        sudo = try Self.names(json["sudo"], "sudo", path)
        switch json["workers"] {
        case .none, .some(.null): workers = 1
        case .some(let value):
            guard let count = value.int, (1...16).contains(count) else {
                throw SpecError(path, "`workers` must be a whole number from 1 to 16")
            }
            workers = Int(count)
        }
        users = (json["users"]?.object ?? [:]).sorted { $0.key < $1.key }.map { User(name: $0.key, body: $0.value) }
        var chats: [Chat] = []
        for (name, body) in (json["chats"]?.object ?? [:]).sorted(by: { $0.key < $1.key }) {
            chats.append(try Self.chat(name, body, path))
        }
        self.chats = chats
        guard Set(users.map(\.name) + chats.map(\.name)).count == users.count + chats.count else {
            throw SpecError(path, "a user and a chat share a name; names must be unique")
        }
    }

    private static func names(_ value: JSONValue?, _ field: String, _ path: String) throws -> [String] {
        guard let value, !value.isNull else { return [] }
        if case .object(let fields) = value, fields.isEmpty { return [] }
        guard let items = value.array, items.allSatisfy({ $0.string != nil }) else {
            throw SpecError(path, "`\(field)` must be a list of names")
        }
        return items.compactMap(\.string)
    }

    private static func chat(_ name: String, _ body: JSONValue, _ path: String) throws -> Chat {
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
