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
    }

    static let token = "7100000001:SPEC-RUNNER-TOKEN"
    static let prefix = "warden:"

    let options: Options
    let logger: Logger

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    /// Runs every case of every spec, printing one line per case (and the first difference of a failure).
    public func run(_ specs: [PluginSpec], print: @Sendable (String) -> Void) async throws -> Summary {
        let redis = try await RedisTestServer.start()
        defer { redis.stop() }
        let simulator = TelegramSimulator(configuration: .init(token: Self.token, logger: logger))
        try await simulator.start()
        var summary = Summary()
        do {
            let connection = try RedisConnection(url: redis.url)
            let context = Context(
                control: SimulatorControl(baseURL: simulator.baseURL),
                redis: connection,
                baseURL: simulator.baseURL,
                redisURL: redis.url
            )
            for spec in specs {
                print(spec.path)
                for specCase in spec.cases where options.filter.map({ specCase.name.contains($0) }) ?? true {
                    let started = ContinuousClock.now
                    let failure = await play(specCase, of: spec, context)
                    let seconds = (ContinuousClock.now - started).seconds
                    let time = String(format: "%.2f s", seconds)
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
        } catch {
            await simulator.stop()
            throw error
        }
        await simulator.stop()
        return summary
    }

    struct Context {
        let control: SimulatorControl
        let redis: RedisConnection
        let baseURL: String
        let redisURL: String
    }

    /// One case from a clean slate; nil when it passed, else what went wrong.
    private func play(_ specCase: PluginSpec.Case, of spec: PluginSpec, _ context: Context) async -> String? {
        let runtime: BotRuntime
        let world: SpecWorld
        do {
            try await context.control.reset()
            _ = try context.redis.call("FLUSHALL")
            let botID = Int64(Self.token.split(separator: ":")[0]) ?? 0
            world = try await SpecWorld.create(spec, botID: botID, control: context.control)
            runtime = try await BotRuntime(
                config: try config(for: spec, world: world, context),
                ingress: .polling(dropPendingUpdates: false),
                logger: logger,
                signals: false
            )
        } catch {
            return "setup: \(error)"
        }
        let running = Task { try await runtime.run() }
        var player = SpecPlayer(world: world, context: context, timeout: .seconds(specCase.timeout))
        var failure: String?
        for (index, step) in specCase.steps.enumerated() {
            do {
                try await player.play(step)
            } catch {
                failure = "step \(index + 1) \(SpecPlayer.describe(step)): \(error)"
                break
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

    private func config(for spec: PluginSpec, world: SpecWorld, _ context: Context) throws -> WardenConfig {
        var config = options.config
        config.token = Secret(Self.token)
        config.apiBaseURL = context.baseURL
        config.redisURL = Secret(context.redisURL)
        config.redisPrefix = Self.prefix
        config.pluginDirectory = options.pluginDirectory
        config.plugins = spec.plugins
        config.sudoUsers = try spec.sudo.map { name throws(SpecError) in try world.id(name) }
        config.pollingTimeout = 1
        config.workers = 1
        return config
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
