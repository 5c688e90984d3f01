import Foundation
import Logging
import Testing
import WardenTestSupport

@testable import WardenRuntime

/// What `warden run` refuses before it takes a single update.
@Suite struct StartupChecksTests {
    // Without the check it would retry getMe for ever: the limit turns that into a failure.
    @Test(.timeLimit(.minutes(1))) func aBotWithoutItsPluginDirectoryRefusesToStartBeforeAskingTelegram() async throws {
        var config = WardenConfig()
        config.token = Secret("7000000003:TOKEN")
        // Nothing listens here: the refusal must come before any request.
        config.apiBaseURL = "http://127.0.0.1:\(try RedisTestServer.freeLoopbackPort())"
        config.pluginDirectory = "no-such-plugins-\(UUID().uuidString)"
        let error = await #expect(throws: ConfigError.self) {
            _ = try await BotRuntime(
                config: config,
                ingress: .polling(dropPendingUpdates: false),
                logger: Logger(label: "t"),
                signals: false
            )
        }
        #expect(error?.field == "plugins.directory")
        #expect(error?.message.contains(FileManager.default.currentDirectoryPath + "/no-such-plugins-") == true)
    }

    @Test func aFileWhereTheDirectoryShouldBeIsRefusedToo() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("plugins-\(UUID().uuidString).lua")
        try Data("return {}".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        var config = WardenConfig()
        config.pluginDirectory = file.path
        #expect(throws: ConfigError.self) { try BotRuntime.checkPluginDirectory(config) }
        config.pluginDirectory = file.deletingLastPathComponent().path
        try BotRuntime.checkPluginDirectory(config)
    }
}
