import WardenJSON

extension TelegramSimulator {
    /// What `seedBench` created: supergroups where the bot is an administrator, and their people.
    public struct BenchWorld: Sendable {
        public let groupIDs: [Int64]
        /// Every user; `owners[g]` created `groupIDs[g]`.
        public let userIDs: [Int64]
        public let ownerIDs: [Int64]
        /// Group index → its members (owner included).
        public let members: [[Int64]]
    }

    /// A text message a user posts, the only kind the benchmarks post: small, so a workload of 100,000 of
    /// them costs the process that holds it a few megabytes, not a JSON tree each.
    public struct BenchPost: Sendable, Hashable {
        public var chatID: Int64
        public var from: Int64
        public var text: String
        public var date: Int64

        public init(chatID: Int64, from: Int64, text: String, date: Int64) {
            self.chatID = chatID
            self.from = from
            self.text = text
            self.date = date
        }

        /// The body `POST /control/chats/{chat}/messages` takes.
        var body: JSONValue { ["from": .int(from), "text": .string(text), "date": .int(date)] }
    }

    /// Creates `groups` supergroups (bot an administrator with delete, restrict and pin rights) and `users`
    /// users, user `u` a member of group `u % groups` (the first `groups` users own theirs), without queuing
    /// updates for any of it, so a benchmark's updates are only the messages it posts.
    public func seedBench(groups: Int, users: Int, usernamePrefix: String = "bench") async throws -> BenchWorld {
        try await state.seedBench(groups: groups, users: users, usernamePrefix: usernamePrefix)
    }

    /// Posts the messages in order, in one hop; returns each one's message id, nil where it was refused
    /// (a muted or banned sender).
    @discardableResult
    public func post(_ posts: [BenchPost]) async -> [Int64?] {
        await state.post(posts)
    }

    /// Creates `count` new users who join the group (each join is an update, as in a raid).
    public func joinFresh(_ count: Int, group: Int64, usernamePrefix: String = "fresh") async throws -> [Int64] {
        try await state.joinFresh(count, group: group, usernamePrefix: usernamePrefix)
    }

    /// Which of these messages are still in the chat (not deleted).
    public func present(_ messageIDs: [Int64], in chatID: Int64) async -> [Int64] {
        await state.present(messageIDs, in: chatID)
    }

    /// Updates queued and not yet confirmed by the bot.
    public var pendingUpdateCount: Int {
        get async { await state.queue.pending.count }
    }
}

extension SimulatorState {
    func seedBench(
        groups: Int,
        users: Int,
        usernamePrefix: String
    ) throws(ControlError) -> TelegramSimulator.BenchWorld {
        guard groups > 0, users >= groups else {
            throw ControlError(400, "groups must be at least 1 and users at least groups (every group needs an owner)")
        }
        var userIDs: [Int64] = []
        userIDs.reserveCapacity(users)
        for index in 0..<users {
            let user = try createUser([
                "first_name": .string("User \(index)"), "username": .string("\(usernamePrefix)_\(index)"),
            ])
            userIDs.append(user["id"]?.int ?? 0)
        }
        let rights: JSONValue = ["can_delete_messages": true, "can_restrict_members": true, "can_pin_messages": true]
        var groupIDs: [Int64] = []
        var members: [[Int64]] = Array(repeating: [], count: groups)
        for group in 0..<groups {
            let chat = try createChat([
                "type": "supergroup", "title": .string("Bench group \(group)"), "creator": .int(userIDs[group]),
                "bot_status": "administrator", "bot_rights": rights,
            ])
            groupIDs.append(chat["id"]?.int ?? 0)
        }
        for (index, user) in userIDs.enumerated() {
            let group = index % groups
            members[group].append(user)
            guard index >= groups else { continue }  // owners are members already
            chats[groupIDs[group]]?.members[user] = SimMember(userID: user, status: .member)
        }
        queue.removeAll()
        return .init(groupIDs: groupIDs, userIDs: userIDs, ownerIDs: Array(userIDs.prefix(groups)), members: members)
    }

    func post(_ posts: [TelegramSimulator.BenchPost]) -> [Int64?] {
        posts.map { post in (try? postMessage(chatID: post.chatID, post.body))?["message_id"]?.int }
    }

    func joinFresh(_ count: Int, group: Int64, usernamePrefix: String) throws -> [Int64] {
        try (0..<count).map { index in
            let user = try createUser([
                "first_name": .string("Fresh \(index)"), "username": .string("\(usernamePrefix)_\(index)"),
            ])
            let id = user["id"]?.int ?? 0
            _ = try join(chatID: group, ["user_id": .int(id)])
            return id
        }
    }

    func present(_ messageIDs: [Int64], in chatID: Int64) -> [Int64] {
        guard let chat = chats[chatID] else { return [] }
        return messageIDs.filter { chat.messages[$0] != nil }
    }
}
