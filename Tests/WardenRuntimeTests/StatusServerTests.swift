import AsyncHTTPClient
import Foundation
import NIOCore
import TelegramSimulator
import Testing
import WardenJSON
import WardenTestSupport

@testable import WardenRuntime

/// `/metrics` and `/health` of a running bot, scraped over HTTP.
@Suite(.serialized) struct StatusServerTests {
    static func get(_ url: String) async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 4 << 20)
        return String(buffer: body)
    }

    @Test func metricsCountUpdatesPluginTimeAndActionsAndHealthAnswers() async throws {
        try await TelegramEndToEndTests.withWorld { world in
            let port = try RedisTestServer.freeLoopbackPort()
            let config = world.config { $0.statusListenPort = port }
            try await TelegramEndToEndTests.withBot(config, ingress: .polling(dropPendingUpdates: false)) { _ in
                try await world.control.send(from: world.member, in: world.group, text: "/ping")
                try await TelegramEndToEndTests.eventually("pong") { try await world.sentTexts() == ["pong"] }
                let base = "http://127.0.0.1:\(port)"
                var metrics = ""
                try await TelegramEndToEndTests.eventually("metrics") {
                    metrics = try await Self.get(base + "/metrics")
                    return metrics.contains(#"warden_actions_total{method="sendMessage",result="ok"} 1"#)
                        && metrics.contains("warden_lua_memory_bytes{")
                }
                #expect(metrics.contains(#"warden_updates_total{kind="message"} 1"#), "\(metrics)")
                // One /ping: one call of the ping plugin's run, flushed to the metrics with its batch.
                #expect(metrics.contains(#"warden_plugin_calls_total{plugin="ping"} 1"# + "\n"), "\(metrics)")
                #expect(metrics.contains(#"warden_plugin_seconds_total{plugin="ping"} "#), "\(metrics)")
                #expect(metrics.contains("warden_redis_round_trip_seconds_count"), "\(metrics)")
                #expect(metrics.contains("warden_outbox_queue_depth"), "\(metrics)")
                // A state with the prelude and a plugin loaded holds some hundreds of kilobytes, not nothing.
                let luaBytes = metrics.split(separator: "\n").first {
                    $0.hasPrefix(#"warden_lua_memory_bytes{worker="0"} "#)
                }
                .flatMap { $0.split(separator: " ").last }.flatMap { Double($0) }
                #expect((luaBytes ?? 0) > 50_000, "\(metrics)")
                #expect(!metrics.contains(TelegramEndToEndTests.token) && !metrics.contains("E2E-TEST-TOKEN"))
                let health = try JSONValue(parsing: Array(try await Self.get(base + "/health").utf8))
                #expect(health["status"]?.string == "ok")
                #expect(health["updates_handled"]?.int ?? 0 >= 1)
                #expect(health["plugins"]?.array?.contains("ping") == true)
            }
        }
    }
}
