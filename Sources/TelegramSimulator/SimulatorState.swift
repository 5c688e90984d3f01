import BotAPISpec
public import WardenJSON

/// A refusal in Telegram's shape; thrown by method implementations and turned into the error envelope.
struct APIError: Error, Sendable {
    let code: Int
    let description: String
    var parameters: JSONValue?

    static func badRequest(_ text: String) -> APIError { APIError(code: 400, description: "Bad Request: \(text)") }
    static func forbidden(_ text: String) -> APIError { APIError(code: 403, description: "Forbidden: \(text)") }
    static let chatNotFound = badRequest("chat not found")
    static let userNotFound = badRequest("user not found")
}

/// A control API refusal: the request to the simulator itself was wrong (unknown chat, muted sender, …).
struct ControlError: Error, Sendable {
    let status: Int
    let message: String

    init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }
}

/// One Bot API call as the simulator saw and answered it.
public struct RecordedCall: Sendable, Hashable {
    /// Increases by one per call, from 1.
    public let seq: Int
    /// Unix time of arrival, from the configured time source.
    public let time: Double
    /// The method name as the bot wrote it.
    public let method: String
    /// The parameters after form values were coerced to the reference's types.
    public let params: [String: JSONValue]
    /// The HTTP status of the answer.
    public let status: Int
    /// The answer's JSON body (null when the connection was dropped).
    public let response: JSONValue

    /// The call as the control API returns it.
    public var json: JSONValue {
        [
            "seq": .int(Int64(seq)), "time": .double(time), "method": .string(method), "params": .object(params),
            "status": .int(Int64(status)), "response": response,
        ]
    }
}

/// Everything the simulated Telegram knows, owned by one actor; HTTP handlers only translate.
actor SimulatorState {
    let configuration: TelegramSimulator.Configuration
    var spec: BotAPISpec { configuration.spec }
    var botID: Int64 { configuration.botID }
    /// `ChatPermissions` field names, from the reference.
    let permissionNames: [String]
    /// Administrator right names (`can_manage_chat`, …), from `ChatMemberAdministrator`.
    let rightNames: [String]
    /// Every `Update` field but `update_id`.
    let updateKinds: [String]

    var users: [Int64: SimUser] = [:]
    var chats: [Int64: SimChat] = [:]
    var queue: UpdateQueue
    var limiter: RateLimiter?
    var faults = FaultPlan()
    var calls: [RecordedCall] = []
    var nextCallSeq = 1
    var nextCallbackSerial: Int64 = 0
    var callbacks: [String: CallbackRecord] = [:]
    var commands: JSONValue = []
    var webhook: WebhookRecord?
    var poll: WaitingPoll?
    var hangs: [Int: CheckedContinuation<Void, Never>] = [:]
    var counters = Counters()
    var nextUserID: Int64 = 5_000_000_001
    var nextGroupSerial: Int64 = 1
    var nextWaiterID = 1
    var isStopping = false

    struct Counters: Sendable {
        var tooManyRequests = 0
        var updatesDelivered = 0
        var webhookFailures = 0
        var refused = 0
    }

    struct CallbackRecord: Sendable {
        let id: String
        let fromID: Int64
        let chatID: Int64?
        let messageID: Int64?
        let date: Double
        var answered = false
        var answer: [String: JSONValue]?
    }

    init(configuration: TelegramSimulator.Configuration) {
        self.configuration = configuration
        let spec = configuration.spec
        permissionNames = spec.fieldNames(of: "ChatPermissions") ?? []
        rightNames = (spec.type(named: "ChatMemberAdministrator")?.fields ?? [])
            .filter { $0.types == [.boolean] && $0.name != "can_be_edited" && $0.name != "is_anonymous" }
            .map(\.name)
        updateKinds = (spec.fieldNames(of: "Update") ?? []).filter { $0 != "update_id" }
        queue = UpdateQueue(allKinds: updateKinds, firstID: configuration.firstUpdateID)
        limiter = configuration.rateLimits.map(RateLimiter.init(settings:))
        users[configuration.botID] = SimUser(
            id: configuration.botID,
            isBot: true,
            firstName: configuration.botFirstName,
            username: configuration.botUsername
        )
    }

    var botUser: SimUser {
        SimUser(
            id: configuration.botID,
            isBot: true,
            firstName: configuration.botFirstName,
            username: configuration.botUsername
        )
    }

    var now: Double { configuration.time.now() }
    var nowSeconds: Int64 { Int64(now) }

    /// Forgets everything but the configuration, as if the simulator had just started.
    func reset() {
        users = [botID: botUser]
        chats = [:]
        // update_id keeps increasing across resets, as it does for a real bot.
        queue = UpdateQueue(allKinds: updateKinds, firstID: queue.nextID)
        limiter = configuration.rateLimits.map(RateLimiter.init(settings:))
        faults.clear()
        calls = []
        nextCallSeq = 1
        callbacks = [:]
        commands = []
        webhook = nil
        counters = Counters()
        answerPoll(with: [])
    }

    /// Default permissions of a new chat: everything members usually may do, nothing administrative.
    var defaultPermissions: Set<String> {
        Set(permissionNames).subtracting(["can_change_info", "can_pin_messages", "can_manage_topics"])
    }

    // MARK: Lookups

    /// Resolves `chat_id` (an id, a numeric string or "@username") the way Telegram does, including
    /// "chat not found", "bot can't initiate conversation" and the 400 for a migrated group.
    func resolveChat(_ value: JSONValue?) throws(APIError) -> SimChat {
        var id: Int64?
        if let number = value?.int {
            id = number
        } else if let text = value?.string {
            if text.hasPrefix("@") {
                let name = text.dropFirst().lowercased()
                id = chats.values.first { $0.username?.lowercased() == name }?.id
            } else {
                id = Int64(text)
            }
        }
        guard let id, var chat = chats[id] else {
            if let id, id > 0, users[id] != nil { throw .forbidden("bot can't initiate conversation with a user") }
            throw APIError.chatNotFound
        }
        if let target = chat.migratedTo {
            var error = APIError.badRequest("group chat was upgraded to a supergroup chat")
            error.parameters = ["migrate_to_chat_id": .int(target)]
            throw error
        }
        expireMemberships(&chat)
        chats[id] = chat
        return chat
    }

    /// Ends bans and restrictions whose `until_date` has passed.
    func expireMemberships(_ chat: inout SimChat) {
        let now = nowSeconds
        for (id, member) in chat.members where member.untilDate > 0 && member.untilDate <= now {
            switch member.status {
            case .kicked: chat.members[id] = SimMember(userID: id, status: .left)
            case .restricted: chat.members[id] = SimMember(userID: id, status: member.isMember ? .member : .left)
            default: break
            }
        }
    }

    /// The bot must be in the chat (and not blocked in a private one) for chat methods.
    func requireBotAccess(_ chat: SimChat) throws(APIError) {
        let status = chat.member(botID).status
        if chat.kind == .private {
            if status == .kicked { throw .forbidden("bot was blocked by the user") }
            return
        }
        switch status {
        case .left: throw .forbidden("bot is not a member of the \(chat.kind.errorNoun)")
        case .kicked: throw .forbidden("bot was kicked from the \(chat.kind.errorNoun)")
        default: return
        }
    }

    func requireUser(_ value: JSONValue?) throws(APIError) -> SimUser {
        guard let id = value?.int, let user = users[id] else { throw APIError.userNotFound }
        return user
    }

    // MARK: Recording and updates

    func record(method: String, params: [String: JSONValue], status: Int, response: JSONValue) {
        calls.append(
            RecordedCall(
                seq: nextCallSeq,
                time: now,
                method: method,
                params: params,
                status: status,
                response: response
            )
        )
        nextCallSeq += 1
        // Long benchmarks would otherwise keep every call; dropping a tenth at a time keeps removal cheap.
        if calls.count > configuration.recordedCallLimit {
            calls.removeFirst(max(1, configuration.recordedCallLimit / 10))
        }
    }

    /// Queues an update (unless `allowed_updates` filters it) and wakes whoever is waiting for one.
    func emit(_ kind: String, _ payload: JSONValue, key: Int64) {
        guard queue.enqueue(kind: kind, payload: payload, key: key) != nil else { return }
        if webhook == nil { schedulePollAnswer() }
    }
}
