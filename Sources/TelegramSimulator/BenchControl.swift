public import WardenJSON

// `/control/bench/…`: a benchmark's world and backlog in one request each, so `warden bench` can drive a
// simulator in a process of its own and the bot's process holds only the bot (docs/simulator.md).

extension TelegramSimulator.BenchWorld {
    /// As `POST /control/bench/seed` answers.
    public var json: JSONValue {
        [
            "group_ids": Self.ids(groupIDs), "user_ids": Self.ids(userIDs), "owner_ids": Self.ids(ownerIDs),
            "members": .array(members.map(Self.ids)),
        ]
    }

    /// Reads the answer of `POST /control/bench/seed`.
    public init(json: JSONValue) throws(SimulatorControlError) {
        func ids(_ value: JSONValue?) throws(SimulatorControlError) -> [Int64] {
            guard let array = value?.array else {
                throw SimulatorControlError(status: 200, description: "not a bench world: \(json)")
            }
            return array.compactMap(\.int)
        }
        var members: [[Int64]] = []
        for group in json["members"]?.array ?? [] { members.append(try ids(group)) }
        self.init(
            groupIDs: try ids(json["group_ids"]),
            userIDs: try ids(json["user_ids"]),
            ownerIDs: try ids(json["owner_ids"]),
            members: members
        )
    }

    private static func ids(_ ids: [Int64]) -> JSONValue { .array(ids.map(JSONValue.int)) }
}

extension TelegramSimulator.BenchPost {
    /// One element of `POST /control/bench/posts`.
    public var json: JSONValue {
        ["chat_id": .int(chatID), "from": .int(from), "text": .string(text), "date": .int(date)]
    }

    init(json: JSONValue) throws(ControlError) {
        guard let chat = json["chat_id"]?.int, let from = json["from"]?.int, let text = json["text"]?.string,
            let date = json["date"]?.int
        else { throw ControlError(400, "a post needs chat_id, from, text and date: \(json)") }
        self.init(chatID: chat, from: from, text: text, date: date)
    }
}

extension SimulatorState {
    /// `POST /control/bench/seed` {groups, users, username_prefix?} → the world.
    func seedBench(_ body: JSONValue) throws(ControlError) -> JSONValue {
        guard let groups = body["groups"]?.int, let users = body["users"]?.int, users <= 10_000_000 else {
            throw ControlError(400, "groups and users (at most 10,000,000) are required")
        }
        let prefix = body["username_prefix"]?.string ?? "bench"
        return try seedBench(groups: Int(groups), users: Int(users), usernamePrefix: prefix).json
    }

    /// `POST /control/bench/posts` {posts: [{chat_id, from, text, date}]} → each one's message id, null where
    /// Telegram refused it (a muted or banned sender). All are posted before any `getUpdates` is answered.
    func post(_ body: JSONValue) throws(ControlError) -> JSONValue {
        guard let array = body["posts"]?.array else { throw ControlError(400, "posts must be an array") }
        var posts: [TelegramSimulator.BenchPost] = []
        posts.reserveCapacity(array.count)
        for post in array { posts.append(try TelegramSimulator.BenchPost(json: post)) }
        return .array(post(posts).map { $0.map(JSONValue.int) ?? .null })
    }
}
