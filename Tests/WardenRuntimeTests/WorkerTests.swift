import Foundation
import Testing
import WardenJSON
import WardenTestSupport

@testable import WardenRuntime

@Suite struct WorkerTests {
    /// A plugin directory with the given files, removed afterwards.
    static func withPluginDirectory<T>(_ files: [String: String], _ body: (String) async throws -> T) async throws -> T
    {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "warden-plugins-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, source) in files {
            try source.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return try await body(directory.path)
    }

    @Test func workerLoadsTheDirectoryByNameAndSkipsDefinitionFiles() async throws {
        try await Self.withPluginDirectory([
            "b.lua": #"return { patterns = { "^!x$" }, run = function() return "b" end }"#,
            "a.lua": #"return { patterns = { "^!x$" }, run = function() return "a" end }"#,
            "types.lua": "---@meta\nbot = {}\n",
            "broken.lua": "return {",
        ]) { directory in
            try await withRedisServer { server in
                var config = WardenConfig()
                config.pluginDirectory = directory
                config.redisPrefix = "worker-test:"
                let sink = RecordingActionSink()
                let worker = try await Worker(
                    options: PluginHost.Options(config: config),
                    sink: sink,
                    redisURL: server.url,
                    logger: LogRecorder().logger
                )
                #expect(await worker.pluginNames == ["a", "b"])
                let outcome = await worker.handle(Fixture.message("!x"))
                #expect(outcome.handledBy == ["a", "b"])
                #expect(sink.actions.compactMap { $0.params["text"]?.string } == ["a", "b"])
                #expect(await worker.stats.pluginErrors["broken"] == 1)
                await worker.shutdown()
            }
        }
    }

    @Test func luaRunsOnTheWorkersOwnNamedThread() async throws {
        try await Self.withPluginDirectory([:]) { directory in
            var config = WardenConfig()
            config.pluginDirectory = directory
            let worker = try await Worker(
                shard: Shard(index: 3, count: 4),
                options: PluginHost.Options(config: config),
                sink: RecordingActionSink(),
                redisURL: nil,
                logger: LogRecorder().logger
            )
            #expect(await worker.isOnOwnThread())
            #if os(Linux)
            #expect(await worker.currentThreadName() == "warden-worker-3")
            #endif
            await worker.shutdown()
        }
    }

    @Test func reloadFromOneWorkerReloadsEveryWorkerBeforeItsNextBatch() async throws {
        let reloader = #"""
            return { patterns = { "^!reload$" }, run = function(msg)
              local ok, err = pcall(reload_plugins, msg)
              return ok and "reloading" or tostring(err)
            end }
            """#
        try await Self.withPluginDirectory([
            "v.lua": #"return { patterns = { "^!v$" }, run = function() return "v1" end }"#,
            "reloader.lua": reloader,
        ]) { directory in
            var config = WardenConfig()
            config.pluginDirectory = directory
            config.sudoUsers = [Fixture.admin]
            let options = PluginHost.Options(config: config)
            let sink = RecordingActionSink()
            var workers: [Worker] = []
            for index in 0..<2 {
                workers.append(
                    try await Worker(
                        shard: Shard(index: index, count: 2),
                        options: options,
                        sink: sink,
                        redisURL: nil,
                        logger: LogRecorder().logger
                    )
                )
            }
            try #"return { patterns = { "^!v$" }, run = function() return "v2" end }"#.write(
                toFile: directory + "/v.lua",
                atomically: true,
                encoding: .utf8
            )
            _ = await workers[0].handle(batch: [Fixture.message("!reload")])  // a member: refused
            _ = await workers[1].handle(batch: [Fixture.message("!v")])
            _ = await workers[0].handle(batch: [Fixture.message("!reload", from: Fixture.admin)])
            _ = await workers[1].handle(batch: [Fixture.message("!v")])
            let texts = sink.actions.compactMap { $0.params["text"]?.string }
            #expect(texts.count == 4)
            #expect(texts[0].contains("sudo users only"))
            #expect(Array(texts[1...]) == ["v1", "reloading", "v2"])
            for worker in workers { await worker.shutdown() }
        }
    }

    @Test func youngGarbageIsCollectedWhileTheWorkerIsIdle() async throws {
        // Each message leaves about 400 KB of garbage with `!litter`, a few hundred bytes otherwise.
        let litter = #"""
            return { patterns = { "^!litter$" }, run = function()
              local t = {}
              for i = 1, 5000 do t[i] = { i } end
            end }
            """#
        try await Self.withPluginDirectory(["litter.lua": litter]) { directory in
            var config = WardenConfig()
            config.pluginDirectory = directory
            let worker = try await Worker(
                options: PluginHost.Options(config: config),
                sink: RecordingActionSink(),
                redisURL: nil,
                logger: LogRecorder().logger
            )
            func collections(after batch: [JSONValue]) async throws -> Int {
                _ = await worker.handle(batch: batch)
                try await Task.sleep(for: .milliseconds(100))  // the collection runs once the worker is idle
                return await worker.stats.collectionsWhileIdle
            }
            #expect(try await collections(after: [Fixture.message("hello")]) == 0)
            #expect(try await collections(after: [Fixture.message("!litter")]) == 1)
            #expect(try await collections(after: [Fixture.message("hello")]) == 1)
            #expect(try await collections(after: [Fixture.message("!litter"), Fixture.message("!litter")]) == 2)
            await worker.shutdown()
        }
    }
}
