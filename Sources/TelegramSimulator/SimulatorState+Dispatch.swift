import BotAPISpec
import WardenJSON

/// The answer to one Bot API request, before it becomes HTTP.
struct BotReply: Sendable {
    enum Action: Sendable {
        case respond
        /// Close the connection without an answer.
        case drop
    }

    var status: Int
    var body: JSONValue
    var action: Action = .respond
    /// `body` serialized already (a `getUpdates` answer, from its updates' stored bytes).
    var bytes: [UInt8]? = nil

    /// The HTTP body: `bytes`, or `body` serialized with its keys sorted.
    var serialized: [UInt8] { bytes ?? body.serialized(sortedKeys: true) }

    static func ok(_ result: JSONValue, description: String? = nil) -> BotReply {
        var body: [String: JSONValue] = ["ok": true, "result": result]
        if let description { body["description"] = .string(description) }
        return BotReply(status: 200, body: .object(body))
    }

    static func error(_ code: Int, _ description: String, parameters: JSONValue? = nil) -> BotReply {
        var body: [String: JSONValue] = [
            "ok": false, "error_code": .int(Int64(code)), "description": .string(description),
        ]
        if let parameters { body["parameters"] = parameters }
        return BotReply(status: code, body: .object(body))
    }

    static let dropped = BotReply(status: 0, body: .null, action: .drop)
}

extension SimulatorState {
    /// One Bot API request, start to finish: token, method, faults, spec validation, flood limits, the method.
    ///
    /// Every request is recorded, refused ones included, so tests can assert on what the bot sent.
    func handle(token: String, method requested: String, params: [String: JSONValue]) async -> BotReply {
        let reply = await answer(token: token, method: requested, params: params)
        record(method: requested, params: params, status: reply.status, response: reply.body)
        if reply.status == 429 { counters.tooManyRequests += 1 }
        if reply.status >= 400 { counters.refused += 1 }
        return reply
    }

    private func answer(token: String, method requested: String, params: [String: JSONValue]) async -> BotReply {
        guard token == configuration.token else { return .error(401, "Unauthorized") }
        guard let method = spec.method(named: requested)?.name else { return .error(404, "Not Found") }
        if let fault = faults.take(method: method) { return await inject(fault) }
        if let violation = spec.validate(method: method, params: params) {
            return .error(violation.errorCode, violation.description)
        }
        if let retryAfter = checkFloodLimits(method: method, params: params) {
            return .error(
                429,
                "Too Many Requests: retry after \(retryAfter)",
                parameters: ["retry_after": .int(Int64(retryAfter))]
            )
        }
        do {
            return try await execute(method, params)
        } catch {
            return .error(error.code, error.description, parameters: error.parameters)
        }
    }

    private func inject(_ fault: Fault) async -> BotReply {
        switch fault.kind {
        case .internalError: return .error(500, "Internal Server Error")
        case .tooManyRequests:
            return .error(
                429,
                "Too Many Requests: retry after \(fault.retryAfter)",
                parameters: ["retry_after": .int(Int64(fault.retryAfter))]
            )
        case .drop: return .dropped
        case .timeout:
            await hang(seconds: fault.seconds)
            return .dropped
        }
    }

    /// Waits `seconds` of real time, or less when the simulator stops.
    func hang(seconds: Double) async {
        let id = nextWaiterID
        nextWaiterID += 1
        await withCheckedContinuation { continuation in
            hangs[id] = continuation
            Task {
                try? await Task.sleep(for: .seconds(seconds))
                self.endHang(id: id)
            }
        }
    }

    func endHang(id: Int) { hangs.removeValue(forKey: id)?.resume() }

    private func checkFloodLimits(method: String, params: [String: JSONValue]) -> Int? {
        guard var limiter else { return nil }
        let chat = (try? resolveChat(params["chat_id"]))
        var messages = 1
        if let ids = params["message_ids"]?.array { messages = ids.count }
        let retry = limiter.admit(
            method: method,
            chatID: chat?.id,
            isGroup: chat?.kind.isGroup ?? false,
            messages: messages,
            now: now
        )
        self.limiter = limiter
        return retry
    }

    /// Runs a method whose request is already known to be well-formed.
    private func execute(_ method: String, _ params: [String: JSONValue]) async throws(APIError) -> BotReply {
        switch method {
        case "getUpdates": return await getUpdates(params)
        case "setWebhook": return try setWebhook(params)
        case "deleteWebhook": return deleteWebhook(params)
        case "getWebhookInfo": return .ok(webhookInfo())
        case "getMe": return .ok(getMe())
        case "logOut", "close": return .ok(true)
        case "sendMessage", "sendPhoto", "sendSticker", "sendDocument", "sendVideo", "sendAnimation", "sendVoice",
            "sendAudio", "sendVideoNote", "sendDice", "sendLocation", "sendContact", "sendPoll":
            return .ok(try send(method, params))
        case "editMessageText": return .ok(try editMessageText(params))
        case "forwardMessage": return .ok(try forwardMessage(params))
        case "copyMessage": return .ok(try copyMessage(params))
        case "forwardMessages", "copyMessages": return .ok(try forwardOrCopyMessages(method, params))
        case "deleteMessage": return .ok(try deleteMessage(params))
        case "deleteMessages": return .ok(try deleteMessages(params))
        case "pinChatMessage": return .ok(try pinChatMessage(params))
        case "unpinChatMessage": return .ok(try unpinChatMessage(params))
        case "banChatMember": return .ok(try banChatMember(params))
        case "unbanChatMember": return .ok(try unbanChatMember(params))
        case "restrictChatMember": return .ok(try restrictChatMember(params))
        case "promoteChatMember": return .ok(try promoteChatMember(params))
        case "setChatPermissions": return .ok(try setChatPermissions(params))
        case "getChat": return .ok(try getChat(params))
        case "getChatMember": return .ok(try getChatMember(params))
        case "getChatAdministrators": return .ok(try getChatAdministrators(params))
        case "getChatMemberCount": return .ok(try getChatMemberCount(params))
        case "approveChatJoinRequest", "declineChatJoinRequest": return .ok(try answerJoinRequest(method, params))
        case "leaveChat": return .ok(try leaveChat(params))
        case "answerCallbackQuery": return .ok(try answerCallbackQuery(params))
        case "setMyCommands":
            commands = params["commands"] ?? []
            return .ok(true)
        case "getMyCommands": return .ok(commands)
        case "deleteMyCommands":
            commands = []
            return .ok(true)
        case "sendChatAction":
            try requireBotAccess(try resolveChat(params["chat_id"]))
            return .ok(true)
        default:
            return .ok(placeholderResult(for: method))
        }
    }

    func getMe() -> JSONValue {
        var me = botUser.json.object ?? [:]
        me["can_join_groups"] = true
        me["can_read_all_group_messages"] = .bool(!configuration.privacyMode)
        me["supports_inline_queries"] = false
        me["can_connect_to_business"] = false
        me["has_main_web_app"] = false
        return .object(me)
    }

    /// For methods the simulator does not model: `true`, or a minimal object of the declared result type.
    private func placeholderResult(for method: String) -> JSONValue {
        guard let returns = spec.method(named: method)?.returns, let first = returns.first, first != "True",
            first != "Boolean"
        else {
            return true
        }
        return SpecSampler(spec: spec).sample(.init(parsing: first))
    }
}
