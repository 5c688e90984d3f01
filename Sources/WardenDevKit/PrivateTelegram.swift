import Logging
import RedisStore
import TelegramSimulator
import WardenRuntime
import WardenTestSupport

/// A Telegram simulator and a private redis-server on loopback ports, and bots wired to them:
/// what `warden plugin test` and `warden demo` run against. Nothing reaches the internet.
final class PrivateTelegram {
    static let token = "7100000001:PRIVATE-SIMULATOR-TOKEN"
    static let prefix = "warden:"
    static var botID: Int64 { Int64(token.split(separator: ":")[0]) ?? 0 }

    let redis: RedisTestServer
    let simulator: TelegramSimulator
    let control: SimulatorControl
    /// The runner's own connection (setup steps, expectations), not the bot's.
    let connection: RedisConnection

    private init(redis: RedisTestServer, simulator: TelegramSimulator, connection: RedisConnection) {
        self.redis = redis
        self.simulator = simulator
        self.connection = connection
        control = SimulatorControl(baseURL: simulator.baseURL)
    }

    /// Starts both; a missing `redis-server` is an error naming the Debian package.
    static func start(logger: Logger) async throws -> PrivateTelegram {
        let redis = try await RedisTestServer.start()
        let simulator = TelegramSimulator(configuration: .init(token: token, logger: logger))
        do {
            try await simulator.start()
            let connection = try RedisConnection(url: redis.url)
            return PrivateTelegram(redis: redis, simulator: simulator, connection: connection)
        } catch {
            await simulator.stop()
            redis.stop()
            throw error
        }
    }

    func stop() async {
        await simulator.stop()
        redis.stop()
    }

    /// Forgets every user, chat, call and key, then creates the world's users and chats.
    func reset(to definition: WorldDefinition) async throws -> SpecWorld {
        try await control.reset()
        _ = try connection.call("FLUSHALL")
        return try await SpecWorld.create(definition, botID: Self.botID, control: control)
    }

    /// A config for a bot on this simulator and Redis, with the world's plugins and sudo users.
    func botConfig(
        base: WardenConfig,
        pluginDirectory: String,
        definition: WorldDefinition,
        world: SpecWorld
    ) throws -> WardenConfig {
        var config = base
        config.token = Secret(Self.token)
        config.apiBaseURL = simulator.baseURL
        config.redisURL = Secret(redis.url)
        config.redisPrefix = Self.prefix
        config.pluginDirectory = pluginDirectory
        config.plugins = definition.plugins
        config.sudoUsers = try definition.sudo.map { name throws in try world.id(name) }
        config.pollingTimeout = 1
        return config
    }
}
