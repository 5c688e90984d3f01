import Foundation
import Logging
import TelegramSimulator
import Testing
import WardenJSON
import WardenTestSupport

@testable import WardenRuntime

/// Editing a plugin file while updates stream in: the new version takes over without a restart,
/// and every update is answered exactly once.
@Suite(.serialized) struct HotReloadTests {
    static func counter(_ version: String) -> String {
        #"return { patterns = { "^n (%d+)$" }, run = function(msg, m) return "\#(version) " .. m[1] end }"#
    }

    @Test func editingAPluginUnderLoadLosesAndRepeatsNothing() async throws {
        try await WorkerTests.withPluginDirectory(["counter.lua": Self.counter("v1")]) { directory in
            try await withRedisServer { redis in
                let simulator = TelegramSimulator.Configuration(
                    token: TelegramEndToEndTests.token,
                    rateLimits: nil,
                    logger: Logger(label: "sim")
                )
                try await TestWorlds.withSimulator(simulator) { simulator in
                    let control = SimulatorControl(baseURL: simulator.baseURL)
                    let owner = try await control.createUser(firstName: "Olga")
                    let group = try await control.createChat(type: "supergroup", title: "Load", creator: owner.id)
                    _ = try await control.createChat(type: "private", userID: owner.id)
                    var config = WardenConfig()
                    config.sudoUsers = [owner.id]
                    config.token = Secret(TelegramEndToEndTests.token)
                    config.apiBaseURL = simulator.baseURL
                    config.redisURL = Secret(redis.url)
                    config.pluginDirectory = directory
                    config.pollingTimeout = 1
                    config.workers = 2
                    config.outbox.globalPerSecond = 1000
                    config.outbox.groupPerMinute = 100_000
                    config.outbox.chatPerSecond = 1000
                    try await TelegramEndToEndTests.withBot(config, ingress: .polling(dropPendingUpdates: false)) { _ in
                        for number in 0..<300 {
                            try await control.send(from: owner.id, in: group.id, text: "n \(number)")
                            // A steady stream over ~5 s, so the watcher's reload lands in the middle of it.
                            try await Task.sleep(for: .milliseconds(15))
                            if number == 100 {
                                try Self.counter("v2").write(
                                    toFile: directory + "/counter.lua",
                                    atomically: true,
                                    encoding: .utf8
                                )
                            }
                            if number == 200 {
                                // A broken save: the v2 that runs keeps running.
                                try "return {".write(
                                    toFile: directory + "/counter.lua",
                                    atomically: true,
                                    encoding: .utf8
                                )
                            }
                        }
                        try await TelegramEndToEndTests.eventually(timeout: .seconds(30), "every update answered") {
                            try await control.calls(method: "sendMessage").count >= 301
                        }
                    }
                    let sent = try await control.calls(method: "sendMessage").compactMap {
                        $0["params"]?["text"]?.string
                    }
                    let toSudo = sent.filter { $0.hasPrefix("Plugin reload") }
                    #expect(
                        toSudo.count == 1 && toSudo[0].contains("counter"),
                        "the sudo user hears of the broken save: \(toSudo)"
                    )
                    let texts = sent.filter { !$0.hasPrefix("Plugin reload") }
                    #expect(texts.count == 300)
                    let numbers = texts.compactMap { Int($0.split(separator: " ").last ?? "") }
                    #expect(Set(numbers) == Set(0..<300), "every update answered exactly once")
                    #expect(texts.first?.hasPrefix("v1") == true)
                    let firstV2 = texts.firstIndex { $0.hasPrefix("v2") } ?? texts.count
                    #expect(firstV2 > 100 && firstV2 < 250, "the edit took effect while updates were streaming in")
                    #expect(texts[firstV2...].allSatisfy { $0.hasPrefix("v2") }, "no update went back to v1")
                    #expect(texts.last?.hasPrefix("v2") == true, "the broken save did not switch the plugin off")
                }
            }
        }
    }
}
