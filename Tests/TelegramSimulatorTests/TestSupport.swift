import AsyncHTTPClient
import BotAPISpec
import Foundation
import NIOCore
import NIOHTTP1
import TelegramSimulator
import WardenJSON

/// A Bot API client as a bot would be: raw HTTP to `/bot<token>/<method>`, answers as status + JSON.
struct BotClient: Sendable {
    let base: String
    let token: String

    struct Answer: Sendable {
        let status: Int
        let body: JSONValue
        /// The body as it came.
        var raw: [UInt8] = []
        var result: JSONValue? { body["result"] }
        var description: String? { body["description"]?.string }
        var ok: Bool { body["ok"]?.bool == true }
    }

    func call(_ method: String, _ params: [String: JSONValue] = [:], token: String? = nil) async throws -> Answer {
        try await send(
            method,
            token: token,
            contentType: "application/json",
            body: JSONValue.object(params).serialized()
        )
    }

    /// Sends form-encoded parameters, as many clients (and curl -d) do.
    func form(_ method: String, _ fields: [(String, String)]) async throws -> Answer {
        let body = fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
        return try await send(method, contentType: "application/x-www-form-urlencoded", body: Array(body.utf8))
    }

    func get(_ method: String, query: String) async throws -> Answer {
        try await send(method, query: query, httpMethod: .GET, contentType: nil, body: [])
    }

    func send(
        _ method: String,
        token: String? = nil,
        query: String? = nil,
        httpMethod: HTTPMethod = .POST,
        contentType: String?,
        body: [UInt8],
        timeout: Double = 30
    ) async throws -> Answer {
        var url = "\(base)/bot\(token ?? self.token)/\(method)"
        if let query { url += "?\(query)" }
        var request = HTTPClientRequest(url: url)
        request.method = httpMethod
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if !body.isEmpty { request.body = .bytes(body) }
        let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return Answer(
            status: Int(response.status.code),
            body: (try? JSONValue(parsing: Array(bytes.readableBytesView))) ?? .null,
            raw: Array(bytes.readableBytesView)
        )
    }

    private func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// Runs `body` against a fresh simulator on a free loopback port and stops it afterwards, even on failure.
@discardableResult
func withSimulator<T>(
    _ configuration: TelegramSimulator.Configuration = .init(rateLimits: nil),
    _ body: (TelegramSimulator, SimulatorControl, BotClient) async throws -> T
) async throws -> T {
    let simulator = TelegramSimulator(configuration: configuration)
    try await simulator.start()
    let bot = BotClient(base: simulator.baseURL, token: configuration.token)
    do {
        let result = try await body(simulator, simulator.control, bot)
        await simulator.stop()
        return result
    } catch {
        await simulator.stop()
        throw error
    }
}

/// A supergroup with an owner, a member and the bot, the bot holding `botRights` as an administrator
/// (or being a plain member when `botRights` is nil).
struct GroupWorld: Sendable {
    let owner: SimulatorControl.User
    let alice: SimulatorControl.User
    let chat: SimulatorControl.Chat

    static func make(
        _ control: SimulatorControl,
        type: String = "supergroup",
        botRights: [String]? = ["can_delete_messages", "can_restrict_members"]
    ) async throws -> GroupWorld {
        let owner = try await control.createUser(firstName: "Olga", username: "olga_owner")
        let alice = try await control.createUser(firstName: "Alice", username: "alice")
        let chat = try await control.createChat(
            type: type,
            title: "Test Group",
            creator: owner.id,
            botStatus: botRights == nil ? "member" : "administrator",
            botRights: botRights ?? []
        )
        try await control.join(alice.id, chat.id)
        return GroupWorld(owner: owner, alice: alice, chat: chat)
    }
}

let testToken = "123456:TEST-TOKEN"

/// Polls `condition` every 20 ms until it holds or `timeout` seconds pass; returns whether it held.
@discardableResult
func eventually(timeout: Double = 5, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now.advanced(by: .seconds(timeout))
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
