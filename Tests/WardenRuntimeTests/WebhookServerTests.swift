import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import WardenJSON

@testable import WardenRuntime

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite struct WebhookServerTests {
    /// Runs a webhook server on a free loopback port with an echo plugin, then `body(port, sink)`.
    static func withWebhook(_ body: @escaping @Sendable (Int, RecordingActionSink) async throws -> Void) async throws {
        try await TestWorlds.withEchoWorkers(count: 1) { workers, sink in
            let worker = workers[0]
            let port = Mutex<Int?>(nil)
            let server = WebhookServer(
                host: "127.0.0.1",
                port: 0,
                path: "/hook",
                secret: "s3cret-token",
                router: UpdateRouter(workers: [worker]),
                logger: Logger(label: "t"),
                onListening: { bound in port.withLock { $0 = bound } }
            )
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                while port.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
                try await body(port.withLock { $0 }!, sink)
                group.cancelAll()
            }
        }
    }

    /// The HTTP status of a POST to the webhook (0 when the request failed).
    static func status(_ port: Int, secret: String?, body: String) async -> Int {
        (try? await post(port, secret: secret, body: body)) ?? 0
    }

    static func post(_ port: Int, secret: String?, body: String) async throws -> Int {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/hook")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let secret { request.setValue(secret, forHTTPHeaderField: "X-Telegram-Bot-Api-Secret-Token") }
        request.httpBody = Data(body.utf8)
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    @Test func requestsWithoutTheRightSecretAreRefusedAndNotProcessed() async throws {
        try await Self.withWebhook { port, sink in
            let update = Fixture.message("hello").jsonString
            #expect(await Self.status(port, secret: nil, body: update) == 401)
            #expect(await Self.status(port, secret: "wrong-token!", body: update) == 401)
            #expect(await Self.status(port, secret: "s3cret-tokeX", body: update) == 401)
            #expect(sink.actions.isEmpty)
            #expect(await Self.status(port, secret: "s3cret-token", body: update) == 200)
            // 200 came after the update was handled: its reply is already recorded.
            #expect(sink.actions.map { $0.params["text"]?.string } == ["hello"])
        }
    }

    @Test func garbageIsAnsweredWithoutCrashingAndTheNextUpdateWorks() async throws {
        try await Self.withWebhook { port, sink in
            #expect(await Self.status(port, secret: "s3cret-token", body: "{not json") == 200)
            #expect(await Self.status(port, secret: "s3cret-token", body: Fixture.message("after").jsonString) == 200)
            #expect(sink.actions.map { $0.params["text"]?.string } == ["after"])
        }
    }

    @Test func secretComparisonIsExact() {
        #expect(SecretComparison.matches("abc", "abc"))
        #expect(!SecretComparison.matches("abd", "abc"))
        #expect(!SecretComparison.matches("abcd", "abc"))
        #expect(!SecretComparison.matches(nil, "abc"))
        #expect(!SecretComparison.matches("", "abc"))
    }
}
