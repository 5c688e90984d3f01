import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
public import WardenJSON

/// A loopback webhook receiver that records what it is sent and answers with scripted statuses.
///
/// For testing webhook delivery (the simulator's own tests, scenario scripts) without writing a server:
/// `setWebhook(url: recorder.url)`, then read `received` or `waitForRequests(_:)`.
public final class WebhookRecorder: Sendable {
    /// One POST the receiver got.
    public struct Received: Sendable, Hashable {
        /// The `X-Telegram-Bot-Api-Secret-Token` header, if sent.
        public let secretToken: String?
        /// The parsed body (an `Update`), or null when it was not JSON.
        public let body: JSONValue
    }

    private let box = Box()
    private let group: ServiceGroup
    private let task: Task<Void, any Error>
    /// The URL to pass to setWebhook, e.g. "http://127.0.0.1:54321/hook".
    public let url: String

    private final class Box: @unchecked Sendable {
        let lock = NSLock()
        var received: [Received] = []
        var statuses: [Int] = []
        var reply: JSONValue?

        func take(_ request: Received) -> (Int, JSONValue?) {
            lock.lock()
            defer { lock.unlock() }
            received.append(request)
            return (statuses.isEmpty ? 200 : statuses.removeFirst(), reply)
        }
    }

    /// Starts listening on a free loopback port; `statuses` are answered in turn, then 200.
    public init(statuses: [Int] = [], reply: JSONValue? = nil) async throws {
        box.statuses = statuses
        box.reply = reply
        let router = Router()
        let box = self.box
        router.post("/hook") { request, _ -> Response in
            var request = request
            let buffer = try await request.collectBody(upTo: 1 << 24)
            let body = (try? JSONValue(parsing: Array(buffer.readableBytesView))) ?? .null
            let secret = request.headers[HTTPField.Name("X-Telegram-Bot-Api-Secret-Token")!]
            let (status, reply) = box.take(Received(secretToken: secret, body: body))
            let bytes = status == 200 ? reply?.serialized() ?? [] : []
            return Response(status: .init(code: status), body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "warden.webhook-recorder")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger
        )
        let group = ServiceGroup(services: [app], logger: logger)
        self.group = group
        task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        url = "http://127.0.0.1:\(port)/hook"
    }

    /// Everything received so far, in arrival order.
    public var received: [Received] {
        box.lock.lock()
        defer { box.lock.unlock() }
        return box.received
    }

    /// Waits (up to `timeout` seconds) until at least `count` requests arrived; returns them.
    public func waitForRequests(_ count: Int, timeout: Double = 5) async -> [Received] {
        let deadline = ContinuousClock.now.advanced(by: .seconds(timeout))
        while received.count < count && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return received
    }

    /// Stops the receiver.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
