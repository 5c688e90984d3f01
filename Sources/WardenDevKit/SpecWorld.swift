import Foundation
import TelegramSimulator
import WardenJSON

/// The users and chats of one case, created in the simulator, and the names specs use for them.
struct SpecWorld {
    /// Name → id: users, chats, message labels, and `bot`.
    private(set) var ids: [String: Int64]
    /// Message label → the chat it is in.
    private(set) var messageChats: [String: Int64] = [:]
    /// Press label → callback query id.
    private(set) var queries: [String: String] = [:]

    /// Creates every user and chat of the spec in the (freshly reset) simulator.
    static func create(_ spec: WorldDefinition, botID: Int64, control: SimulatorControl) async throws -> SpecWorld {
        var world = SpecWorld(ids: ["bot": botID])
        for user in spec.users {
            guard case .object(var body) = user.body else { throw SpecError("user \(user.name) must be a table") }
            if body["first_name"] == nil { body["first_name"] = .string(user.name.capitalized) }
            let created = try await control.request("POST", "users", body: .object(body))
            world.ids[user.name] = created["id"]?.int
        }
        for chat in spec.chats {
            var body: [String: JSONValue] = ["type": .string(chat.type), "bot_status": .string(chat.botStatus)]
            body["title"] = chat.title.map(JSONValue.string)
            body["username"] = chat.username.map(JSONValue.string)
            if let user = chat.user { body["user_id"] = .int(try world.id(user)) }
            if let creator = chat.creator { body["creator"] = .int(try world.id(creator)) }
            if !chat.botRights.isEmpty && chat.type != "private" {
                body["bot_rights"] = .object(Dictionary(uniqueKeysWithValues: chat.botRights.map { ($0, true) }))
            }
            let created = try await control.request("POST", "chats", body: .object(body))
            guard let chatID = created["id"]?.int else { throw SpecError("chat \(chat.name) was not created") }
            world.ids[chat.name] = chatID
            for admin in chat.admins {
                let rights = JSONValue.object(Dictionary(uniqueKeysWithValues: admin.rights.map { ($0, true) }))
                let member: JSONValue = [
                    "user_id": .int(try world.id(admin.name)), "status": "administrator", "rights": rights,
                ]
                _ = try await control.request("POST", "chats/\(chatID)/members", body: member)
            }
            for name in chat.members {
                let member: JSONValue = ["user_id": .int(try world.id(name)), "status": "member"]
                _ = try await control.request("POST", "chats/\(chatID)/members", body: member)
            }
        }
        return world
    }

    /// The id of a user, chat or message label.
    func id(_ name: String) throws -> Int64 {
        guard let id = ids[name] else { throw SpecError("no user, chat or message called \"\(name)\"") }
        return id
    }

    /// The chat a labelled message is in.
    func chat(ofMessage label: String) throws -> Int64 {
        guard let chat = messageChats[label] else { throw SpecError("no message labelled \"\(label)\"") }
        return chat
    }

    func query(_ label: String) throws -> String {
        guard let query = queries[label] else { throw SpecError("no button press labelled \"\(label)\"") }
        return query
    }

    mutating func label(message id: Int64, in chat: Int64, as label: String) {
        ids[label] = id
        messageChats[label] = chat
    }

    mutating func label(query id: String, as label: String) { queries[label] = id }

    /// `"$name"` becomes the id; `$name` inside a longer string becomes the id's digits.
    /// Tables and lists are resolved throughout; unknown names are left as written.
    func resolve(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text):
            guard text.contains("$") else { return value }
            if text.hasPrefix("$"), let id = ids[String(text.dropFirst())] { return .int(id) }
            return .string(substitute(text))
        case .array(let items): return .array(items.map(resolve))
        case .object(let fields): return .object(fields.mapValues(resolve))
        default: return value
        }
    }

    private func substitute(_ text: String) -> String {
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            guard character == "$" else {
                result.append(character)
                index = text.index(after: index)
                continue
            }
            let nameStart = text.index(after: index)
            let nameEnd = text[nameStart...].firstIndex { !($0.isLetter || $0.isNumber || $0 == "_") } ?? text.endIndex
            if let id = ids[String(text[nameStart..<nameEnd])] {
                result += String(id)
                index = nameEnd
            } else {
                result.append(character)
                index = nameStart
            }
        }
        return result
    }
}
