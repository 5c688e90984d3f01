import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
public import ServiceLifecycle

/// A loopback Telegram: the Bot API (`/bot<token>/<method>`) with Telegram's rules, errors and limits,
/// plus a control API (`/control/…`) that plays the users, chats and Telegram-side events.
///
/// ```swift
/// let simulator = TelegramSimulator(configuration: .init(token: "123:ABC"))
/// try await simulator.start()            // returns once listening on 127.0.0.1:<free port>
/// let control = simulator.control        // typed client for /control
/// // point the bot at simulator.baseURL, e.g. "\(simulator.baseURL)/bot123:ABC/getMe"
/// await simulator.stop()
/// ```
public final class TelegramSimulator: Service, Sendable {
    /// How the simulator was set up.
    public let configuration: Configuration
    let state: SimulatorState
    private let running = RunningServer()

    /// Creates a simulator; nothing listens until `start()`.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        state = SimulatorState(configuration: configuration)
    }

    /// The bound port, once started (0 before).
    public var port: Int { running.port }

    /// The Bot API base, e.g. "http://127.0.0.1:54321": the bot calls `\(baseURL)/bot\(token)/getMe`.
    public var baseURL: String { "http://\(configuration.host):\(port)" }

    /// A typed client for this simulator's control API.
    public var control: SimulatorControl { SimulatorControl(baseURL: baseURL) }

    /// Binds and starts serving; returns once the server is listening.
    public func start() async throws {
        guard running.port == 0 else { return }
        let router = Router()
        HTTPRoutes.addControl(to: router, state: state)
        HTTPRoutes.addBotAPI(to: router, state: state)
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        var httpLogger = configuration.logger
        // Hummingbird announces every start at info; tests start many simulators.
        httpLogger.logLevel = max(httpLogger.logLevel, .notice)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: httpLogger
        )
        let delivery = WebhookDelivery(
            state: state,
            client: .shared,
            timeout: configuration.webhookTimeout,
            logger: configuration.logger
        )
        let group = ServiceGroup(services: [app, delivery], logger: httpLogger)
        let task = Task {
            defer { portContinuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port != 0 else {
            try await task.value
            throw SimulatorStartError(
                message: "the simulator did not start listening on \(configuration.host):\(configuration.port)"
            )
        }
        running.set(port: port, group: group, task: task)
    }

    /// Answers waiting requests, stops listening and waits for the server to finish.
    public func stop() async {
        guard let (group, task) = running.take() else { return }
        await state.shutdown()
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }

    /// Runs as a ServiceLifecycle service: starts (if not started yet) and stops on graceful shutdown.
    public func run() async throws {
        try await start()
        try? await gracefulShutdown()
        await stop()
    }
}

/// Why `start()` failed.
public struct SimulatorStartError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public let message: String
    /// The message.
    public var description: String { message }
}

/// The running server's handles, guarded so `port` can be read synchronously from any thread.
private final class RunningServer: @unchecked Sendable {
    private let lock = NSLock()
    private var boundPort = 0
    private var group: ServiceGroup?
    private var task: Task<Void, any Error>?

    var port: Int {
        lock.lock()
        defer { lock.unlock() }
        return boundPort
    }

    func set(port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        lock.lock()
        boundPort = port
        self.group = group
        self.task = task
        lock.unlock()
    }

    func take() -> (ServiceGroup, Task<Void, any Error>)? {
        lock.lock()
        defer { lock.unlock() }
        guard let group, let task else { return nil }
        self.group = nil
        self.task = nil
        return (group, task)
    }
}
