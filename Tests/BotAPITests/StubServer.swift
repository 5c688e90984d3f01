import Hummingbird
import Logging
import NIOCore
import Synchronization
import WardenJSON

/// A tiny Bot API stand-in on 127.0.0.1: answers each method from a script and records requests.
final class StubServer: Sendable {
    struct Recorded: Sendable {
        var path: String
        var contentType: String
        var body: [UInt8]
    }

    let requests = Mutex<[Recorded]>([])
    let answers: @Sendable (String) -> (status: Int, body: String, delay: Duration)

    init(answers: @escaping @Sendable (String) -> (status: Int, body: String, delay: Duration)) {
        self.answers = answers
    }

    /// Runs the server for the duration of `body`, which gets the base URL.
    func run(_ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.post("/{token}/{method}") { [self] request, context -> Response in
            let method = context.parameters.get("method") ?? ""
            let bytes = try await request.body.collect(upTo: 1 << 20)
            requests.withLock {
                $0.append(
                    Recorded(
                        path: request.uri.path,
                        contentType: request.headers[.contentType] ?? "",
                        body: Array(bytes.readableBytesView)
                    )
                )
            }
            let answer = answers(method)
            if answer.delay > .zero { try await Task.sleep(for: answer.delay) }
            return Response(
                status: .init(code: answer.status),
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: answer.body))
            )
        }
        let port = Mutex<Int?>(nil)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } },
            logger: Logger(label: "stub")
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            while port.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(5)) }
            try await body("http://127.0.0.1:\(port.withLock { $0 }!)")
            group.cancelAll()
        }
    }
}
