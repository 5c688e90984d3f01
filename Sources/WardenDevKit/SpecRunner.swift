import Foundation
public import Logging
import RedisStore
import TelegramSimulator
import WardenJSON
public import WardenRuntime
import WardenTestSupport

/// `warden plugin test`: plays plugin specs against the simulator and a private redis-server,
/// with the bot running the plugins for real (docs/plugin-testing.md).
public struct SpecRunner: Sendable {
    public struct Options: Sendable {
        /// Where the plugins under test live.
        public var pluginDirectory: String
        /// Only cases whose name contains this.
        public var filter: String?
        /// Settings every case's bot starts from (plugin directory, sudo and plugins are set per spec).
        public var config: WardenConfig

        public init(pluginDirectory: String, filter: String? = nil, config: WardenConfig = WardenConfig()) {
            self.pluginDirectory = pluginDirectory
            self.filter = filter
            self.config = config
        }
    }

    public struct Summary: Sendable {
        public var passed = 0
        public var failed = 0
        public var skipped = 0
    }

    let options: Options
    let logger: Logger

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    /// Runs every case of every spec, printing one line per case (and the first difference of a failure).
    public func run(_ specs: [PluginSpec], print: @Sendable (String) -> Void) async throws -> Summary {
        let telegram = try await PrivateTelegram.start(logger: logger)
        var summary = Summary()
        for spec in specs {
            print(spec.path)
            for specCase in spec.cases where options.filter.map({ specCase.name.contains($0) }) ?? true {
                if let reason = specCase.skip {
                    summary.skipped += 1
                    print("  – \(specCase.name) (skipped: \(reason))")
                    continue
                }
                let started = ContinuousClock.now
                let failure = await play(specCase, of: spec, telegram)
                let time = String(format: "%.2f s", (ContinuousClock.now - started).seconds)
                if let failure {
                    summary.failed += 1
                    print("  ✘ \(specCase.name) (\(time))")
                    for line in failure.split(separator: "\n", omittingEmptySubsequences: false) {
                        print("      \(line)")
                    }
                } else {
                    summary.passed += 1
                    print("  ✔ \(specCase.name) (\(time))")
                }
            }
        }
        await telegram.stop()
        return summary
    }

    /// One case from a clean slate; nil when it passed, else what went wrong. A plugin that raised an
    /// error, or did not load, fails the case.
    private func play(_ specCase: PluginSpec.Case, of spec: PluginSpec, _ telegram: PrivateTelegram) async -> String? {
        let runtime: BotRuntime
        let world: SpecWorld
        let pluginErrors = PluginErrorLog()
        do {
            world = try await telegram.reset(to: spec.world)
            var config = try telegram.botConfig(
                base: options.config,
                pluginDirectory: options.pluginDirectory,
                definition: spec.world,
                world: world
            )
            config.workers = spec.world.workers
            runtime = try await BotRuntime(
                config: config,
                ingress: .polling(dropPendingUpdates: false),
                logger: pluginErrors.logger(wrapping: logger),
                signals: false
            )
        } catch {
            return "setup: \(error)"
        }
        let running = Task { try await runtime.run() }
        let loaded = Set(await runtime.workers.first?.pluginNames ?? [])
        let missing = spec.world.plugins.filter { !loaded.contains($0) }
        var player = SpecPlayer(
            world: world,
            telegram: telegram,
            timeout: .seconds(specCase.timeout),
            outboxIdle: { [outbox = runtime.outbox] in await outbox.waitUntilIdle() }
        )
        if let channel = runtime.readCacheSyncChannel {
            player.cacheSync = (channel, { token in await runtime.readCacheBarrier(token) })
        }
        var failure: String?
        if !missing.isEmpty {
            failure = "setup: plugins that did not load: \(missing.joined(separator: ", "))"
            failure! += pluginErrors.all.map { "\n  \($0)" }.joined()
        }
        for (index, step) in specCase.steps.enumerated() where failure == nil {
            do {
                try await player.play(step)
            } catch {
                failure = "step \(index + 1) \(SpecPlayer.describe(step)): \(error)"
                // The likely cause, when there is one.
                if let raised = pluginErrors.all.first { failure! += "\n(a plugin raised an error: \(raised))" }
            }
            if failure == nil, let raised = pluginErrors.all.first {
                failure = "a plugin raised an error (noticed after step \(index + 1)): \(raised)"
            }
        }
        if failure == nil {
            // Updates of the last steps may still be in flight: let the bot finish them before looking.
            do { try await player.settle() } catch { failure = "after the last step: \(error)" }
            if failure == nil, let raised = pluginErrors.all.first {
                failure = "a plugin raised an error (after the last step): \(raised)"
            }
        }
        await runtime.stop()
        do {
            try await running.value
        } catch {
            failure = failure ?? "the bot stopped with an error: \(error)"
        }
        return failure
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
