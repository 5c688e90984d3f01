import HTTPTypes
public import Hummingbird
public import Logging
import NIOCore
public import ServiceLifecycle
import WardenJSON

/// The webhook endpoint: Telegram POSTs each update here.
///
/// A request without the right `X-Telegram-Bot-Api-Secret-Token` gets 401 and
/// is not processed. An update is answered 200 only once it has been handled,
/// so Telegram redelivers anything a crash interrupted. A body that is not an
/// update is refused with a log line and a 200: Telegram would redeliver it
/// forever otherwise.
public struct WebhookServer: Service {
    public static let secretHeader = HTTPField.Name("X-Telegram-Bot-Api-Secret-Token")!

    private let application: Application<RouterResponder<BasicRequestContext>>

    /// - Parameters:
    ///   - path: the URL path Telegram posts to (from the webhook URL).
    ///   - onListening: called with the bound port once the server listens (tests use port 0).
    public init(
        host: String,
        port: Int,
        path: String,
        secret: String,
        router: UpdateRouter,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        let routes = Router()
        routes.post(RouterPath(path.isEmpty ? "/" : path)) { request, _ -> Response in
            guard SecretComparison.matches(request.headers[Self.secretHeader], secret) else {
                logger.warning("webhook request refused: wrong or missing secret token")
                return Response(status: .unauthorized)
            }
            let body = try await request.body.collect(upTo: 8 << 20)
            let update: JSONValue
            do {
                update = try JSONValue(parsing: body.readableBytesView)
            } catch {
                logger.warning("update refused: not JSON", metadata: ["error": "\(error)"])
                return Response(status: .ok)
            }
            _ = await router.dispatch([update])
            return Response(status: .ok)
        }
        application = Application(
            router: routes,
            configuration: .init(address: .hostname(host, port: port), serverName: "warden"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }

    public func run() async throws {
        try await application.run()
    }
}
