import BotAPI
import WardenJSON

/// An update's id, kind and content, looked up once when its batch comes in: the worker's look at the whole
/// batch (for the ledger and the read-ahead) and its handling of each update both start from them.
struct IncomingUpdate {
    let id: Int64
    /// The content field: `message`, `callback_query`, …
    let kind: String
    let payload: JSONValue

    /// Nil for a malformed update: no integer `update_id`, or no content.
    init?(update: JSONValue) {
        guard case .object(let fields) = update, let id = fields["update_id"]?.int,
            let kind = Update.kind(of: fields), let payload = fields[kind]
        else { return nil }
        self.id = id
        self.kind = kind
        self.payload = payload
    }

    /// The group a message shows the bot is in (groups and supergroups; not after the bot left it).
    var group: Int64? {
        guard kind == "message", case .object(let chat) = payload["chat"] ?? .null,
            let type = chat["type"]?.string, type == "group" || type == "supergroup"
        else { return nil }
        return chat["id"]?.int
    }

    /// Adds the users this update shows (the sender, new members, the replied-to sender), for the users-seen
    /// caches: `@username` → id, and id → name.
    func appendUsers(to users: inout [SeenUser]) {
        func append(_ user: JSONValue?) {
            guard case .object(let user) = user ?? .null, let id = user["id"]?.int,
                let first = user["first_name"]?.string
            else { return }
            let name = user["last_name"]?.string.map { "\(first) \($0)" } ?? first
            users.append(SeenUser(id: id, username: user["username"]?.string, name: name))
        }
        guard case .object(let fields) = payload else { return }
        append(fields["from"])
        append(fields["reply_to_message"]?["from"])
        append(fields["new_chat_member"]?["user"])
        for member in fields["new_chat_members"]?.array ?? [] { append(member) }
    }
}
