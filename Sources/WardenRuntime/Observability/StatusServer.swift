public import Hummingbird
public import Logging
import NIOCore
public import ServiceLifecycle
public import WardenJSON

/// `/metrics` (Prometheus text format) and `/health` (JSON, what `warden status` prints), on a loopback
/// port of their own: nothing here is for the internet, and nothing here holds the token.
public struct StatusServer: Service {
    private let application: Application<RouterResponder<BasicRequestContext>>

    public init(
        host: String,
        port: Int,
        metrics: WardenMetrics,
        health: @escaping @Sendable () async -> JSONValue,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        let routes = Router()
        routes.get("/metrics") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(
                status: .ok,
                headers: headers,
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition()))
            )
        }
        routes.get("/health") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            let body = await health().serialized(sortedKeys: true)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        application = Application(
            router: routes,
            configuration: .init(address: .hostname(host, port: port), serverName: "warden-status"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }

    public func run() async throws {
        try await application.run()
    }
}
