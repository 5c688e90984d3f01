import WardenJSON

extension TelegramSimulator {
    /// Who `seedDemo()` created: a supergroup where the bot moderates, its people, and a private chat.
    public struct DemoWorld: Sendable, Hashable {
        /// The "Warden Demo" supergroup; the bot is an administrator with delete, restrict, pin and invite rights.
        public let groupID: Int64
        /// The group's creator.
        public let ownerID: Int64
        /// Ordinary members.
        public let memberIDs: [Int64]
        /// A member who will post spam in a demo.
        public let spammerID: Int64
        /// A private chat between the first member and the bot.
        public let privateChatID: Int64
    }

    /// Creates a small world for demos and manual testing; call once, on a fresh simulator.
    @discardableResult
    public func seedDemo() async throws -> DemoWorld {
        func id(_ value: JSONValue) -> Int64 { value["id"]?.int ?? 0 }
        let owner = id(
            try await state.createUser(["first_name": "Olga", "last_name": "Owner", "username": "olga_owner"])
        )
        let alice = id(try await state.createUser(["first_name": "Alice", "username": "alice"]))
        let bob = id(try await state.createUser(["first_name": "Bob"]))
        let spammer = id(
            try await state.createUser(["first_name": "Crypto", "last_name": "Deals", "username": "crypto_deals_24"])
        )
        let rights: JSONValue = [
            "can_delete_messages": true, "can_restrict_members": true, "can_pin_messages": true,
            "can_invite_users": true,
        ]
        let group = id(
            try await state.createChat([
                "type": "supergroup", "title": "Warden Demo", "username": "warden_demo", "creator": .int(owner),
                "bot_status": "administrator", "bot_rights": rights,
            ])
        )
        for member in [alice, bob, spammer] { _ = try await state.join(chatID: group, ["user_id": .int(member)]) }
        let direct = id(try await state.createChat(["type": "private", "user_id": .int(alice)]))
        return DemoWorld(
            groupID: group,
            ownerID: owner,
            memberIDs: [alice, bob],
            spammerID: spammer,
            privateChatID: direct
        )
    }

    /// The Bot API calls recorded so far, after `since`, optionally of one method (as `GET /control/calls`).
    public func recordedCalls(since: Int = 0, method: String? = nil) async -> [RecordedCall] {
        let wanted = method?.lowercased()
        return await state.calls.filter { call in
            call.seq > since && (wanted == nil || call.method.lowercased() == wanted)
        }
    }
}
