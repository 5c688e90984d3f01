import BotAPISpec
import Hummingbird
import WardenJSON

/// HTTP glue: Bot API paths and the control API, each handler a translation to and from the state actor.
enum HTTPRoutes {
    static let maxBody = 50 << 20

    static func json(_ value: JSONValue, status: Int = 200) -> Response {
        json(bytes: value.serialized(sortedKeys: true), status: status)
    }

    static func json(bytes: [UInt8], status: Int = 200) -> Response {
        Response(
            status: .init(code: status),
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }

    /// A response whose body never comes: the client sees the connection close mid-answer.
    static func dropped() -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json", .contentLength: "64"],
            body: ResponseBody(contentLength: 64) { _ in throw DroppedConnection() }
        )
    }

    struct DroppedConnection: Error {}

    static func addBotAPI(to router: Router<BasicRequestContext>, state: SimulatorState) {
        let spec = state.configuration.spec
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, context in
            let segment = context.parameters.get("token") ?? ""
            let method = context.parameters.get("method") ?? ""
            guard segment.hasPrefix("bot") else { return json(BotReply.error(404, "Not Found").body, status: 404) }
            var request = request
            let buffer = try await request.collectBody(upTo: maxBody)
            let params: [String: JSONValue]
            do {
                params = try RequestDecoding.parameters(
                    query: request.uri.query,
                    contentType: request.headers[.contentType],
                    body: Array(buffer.readableBytesView),
                    method: spec.method(named: method)
                )
            } catch let error as APIError {
                return json(BotReply.error(error.code, error.description).body, status: error.code)
            }
            let reply = await state.handle(token: String(segment.dropFirst(3)), method: method, params: params)
            switch reply.action {
            case .respond: return json(bytes: reply.serialized, status: reply.status)
            case .drop: return dropped()
            }
        }
        router.get("/{token}/{method}", use: handler)
        router.post("/{token}/{method}", use: handler)
    }

    /// Parses a control request body; an empty body is an empty object.
    static func body(_ request: Request) async throws -> JSONValue {
        var request = request
        let buffer = try await request.collectBody(upTo: maxBody)
        let bytes = Array(buffer.readableBytesView)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return [:] }
        do {
            // A benchmark's backlog comes in one body: up to the body's own cap, not an update's.
            return try JSONValue(parsing: bytes, limits: JSONLimits(maxBytes: maxBody))
        } catch {
            throw ControlError(400, "the body is not JSON: \(error)")
        }
    }

    /// Runs a control operation and wraps it in the Bot API's envelope shape.
    static func control(_ operation: () async throws -> JSONValue) async -> Response {
        do {
            return json(["ok": true, "result": try await operation()])
        } catch let error as ControlError {
            return json(
                ["ok": false, "error_code": .int(Int64(error.status)), "description": .string(error.message)],
                status: error.status
            )
        } catch {
            return json(["ok": false, "error_code": 400, "description": .string("\(error)")], status: 400)
        }
    }

    static func id(_ context: BasicRequestContext, _ name: String) throws -> Int64 {
        guard let text = context.parameters.get(name), let id = Int64(text) else {
            throw ControlError(400, "\(name) must be an integer")
        }
        return id
    }
}
