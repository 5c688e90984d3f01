import Logging
import TelegramSimulator

@testable import WardenRuntime

/// Shared setups for tests that need running workers or a simulator.
enum TestWorlds {
    static let echoPlugin = #"return { patterns = { "^(.*)$" }, run = function(msg, m) return m[1] end }"#

    /// `count` workers with an echo plugin and one recording sink, shut down afterwards.
    static func withEchoWorkers(
        count: Int,
        plugin: String = echoPlugin,
        redisURL: String? = nil,
        configure: (inout WardenConfig) -> Void = { _ in },
        _ body: ([Worker], RecordingActionSink) async throws -> Void
    ) async throws {
        try await WorkerTests.withPluginDirectory(["echo.lua": plugin]) { directory in
            var config = WardenConfig()
            config.pluginDirectory = directory
            configure(&config)
            let sink = RecordingActionSink()
            var workers: [Worker] = []
            for index in 0..<count {
                workers.append(
                    try await Worker(
                        shard: Shard(index: index, count: count),
                        options: PluginHost.Options(config: config),
                        sink: sink,
                        redisURL: redisURL,
                        logger: Logger(label: "test")
                    )
                )
            }
            do {
                try await body(workers, sink)
            } catch {
                for worker in workers { await worker.shutdown() }
                throw error
            }
            for worker in workers { await worker.shutdown() }
        }
    }

    /// A started simulator, stopped afterwards whatever happens.
    static func withSimulator(
        _ configuration: TelegramSimulator.Configuration,
        _ body: (TelegramSimulator) async throws -> Void
    ) async throws {
        let simulator = TelegramSimulator(configuration: configuration)
        try await simulator.start()
        do {
            try await body(simulator)
        } catch {
            await simulator.stop()
            throw error
        }
        await simulator.stop()
    }
}
