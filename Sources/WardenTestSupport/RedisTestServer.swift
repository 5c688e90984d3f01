import Foundation
public import RedisStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a ``RedisTestServer`` could not be started.
public enum RedisTestServerError: Error, CustomStringConvertible {
    /// No `redis-server` binary was found.
    case notInstalled(searched: [String])
    /// The process exited or never answered `PING`; `log` holds the end of its log file.
    case failedToStart(reason: String, log: String)

    public var description: String {
        switch self {
        case .notInstalled(let searched):
            "redis-server not found (searched \(searched.joined(separator: ", "))); install the Debian package `redis-server`"
        case .failedToStart(let reason, let log):
            "redis-server failed to start: \(reason)\n\(log)"
        }
    }
}

/// A real, throw-away `redis-server` on a free loopback port, for tests.
///
/// Nothing is persisted (`--save ""`, no AOF); the working directory is a fresh temp dir that
/// ``stop()`` removes. The server also listens on a Unix socket at ``unixSocketPath``.
/// Sendable by locking: ``stop()``, ``restart()``, ``pause()`` and ``resume()`` may be called
/// from any task.
public final class RedisTestServer: @unchecked Sendable {
    /// The TCP port on 127.0.0.1; it stays the same across ``restart()``.
    public let port: Int
    /// The `requirepass` of the server, if any.
    public let password: String?
    /// The path of the server's Unix socket.
    public let unixSocketPath: String

    private let executable: String
    private let directory: String
    private let lock = NSLock()
    private var process: Process?
    private var directoryRemoved = false

    /// `redis://[:password@]127.0.0.1:PORT`.
    public var url: String {
        guard let password else { return "redis://127.0.0.1:\(port)" }
        let escaped = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? password
        return "redis://:\(escaped)@127.0.0.1:\(port)"
    }

    /// The server's TCP address as a parsed ``RedisURL``.
    public var redisURL: RedisURL {
        RedisURL(endpoint: .tcp(host: "127.0.0.1", port: port), password: password)
    }

    /// The server's Unix socket as a parsed ``RedisURL``.
    public var unixRedisURL: RedisURL {
        RedisURL(endpoint: .unix(path: unixSocketPath), password: password)
    }

    /// Whether the server process is alive (paused counts as alive).
    public var isRunning: Bool {
        lock.withLock { process?.isRunning ?? false }
    }

    /// Starts `redis-server` on a free port and waits (up to 30 s) until it answers.
    public static func start(password: String? = nil) async throws -> RedisTestServer {
        let executable = try findExecutable()
        _ = reapOrphansOnce
        var attempt = 0
        while true {
            attempt += 1
            let server = try RedisTestServer(executable: executable, port: freeLoopbackPort(), password: password)
            do {
                try await server.launch()
                return server
            } catch PortTaken.error where attempt < 5 {
                // Another test grabbed the port between our probe and redis' bind; pick another.
                server.stop()
            } catch {
                server.stop()
                throw error
            }
        }
    }

    private init(executable: String, port: Int, password: String?) throws {
        var template = Array("/tmp/warden-redis-XXXXXX".utf8CString)
        // mkdtemp keeps the path short: Unix socket paths are limited to about 100 bytes.
        guard let created = mkdtemp(&template) else {
            throw RedisTestServerError.failedToStart(reason: "cannot create a temp dir (errno \(errno))", log: "")
        }
        self.directory = String(cString: created)
        self.executable = executable
        self.port = port
        self.password = password
        self.unixSocketPath = directory + "/redis.sock"
        // Who owns the server: if this process dies without stopping it, a later one reaps it (below).
        try? String(getpid()).write(toFile: directory + "/" + Self.ownerFile, atomically: true, encoding: .utf8)
    }

    private static let directoryPrefix = "warden-redis-"
    private static let ownerFile = "owner.pid"

    /// ``reapOrphans()``, once per process, at its first start.
    private static let reapOrphansOnce: Void = reapOrphans()

    /// Stops the servers (and removes the temp dirs) of test processes that died without stopping theirs
    /// (a crash, an assertion, `kill -9`), which would otherwise run until the machine stops.
    public static func reapOrphans() {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
        for entry in entries where entry.hasPrefix(directoryPrefix) {
            let directory = "/tmp/" + entry
            guard let owner = pid(in: directory + "/" + ownerFile), !isAlive(owner) else { continue }
            // Only a redis-server started in that directory: a pid the kernel has since reused is left alone.
            // redis-server runs in its --dir (and rewrites its command line, so that cannot tell).
            if let server = pid(in: directory + "/redis.pid"),
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(server)/cwd")) == directory
            {
                kill(server, SIGKILL)
            }
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    private static func pid(in file: String) -> pid_t? {
        (try? String(contentsOfFile: file, encoding: .utf8)).flatMap {
            pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    private static func isAlive(_ pid: pid_t) -> Bool { kill(pid, 0) == 0 || errno == EPERM }

    deinit {
        stop()
    }

    /// Opens a client connection to this server.
    public func connect(
        connectTimeout: Duration = .seconds(1),
        commandTimeout: Duration = .seconds(2),
        reconnectPolicy: RedisReconnectPolicy = .default
    ) throws(RedisError) -> RedisConnection {
        try RedisConnection(
            url: redisURL,
            connectTimeout: connectTimeout,
            commandTimeout: commandTimeout,
            reconnectPolicy: reconnectPolicy
        )
    }

    /// Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its temp dir. Idempotent.
    public func stop() {
        stopProcess()
        let remove = lock.withLock {
            defer { directoryRemoved = true }
            return !directoryRemoved
        }
        if remove { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Stops the server and starts a fresh one on the same port (all data is lost), e.g. to
    /// simulate an outage; waits until the new process answers.
    public func restart() async throws {
        stopProcess()
        try? FileManager.default.removeItem(atPath: directory + "/dump.rdb")
        try await launch()
    }

    /// Restarts the way a server with persistence does: `SHUTDOWN SAVE` writes every key to disk, and the
    /// new process on the same port loads them. Clients see an outage of `downtime`.
    public func restartKeepingData(downtime: Duration = .zero) async throws {
        if let connection = try? connect() { _ = try? connection.call("SHUTDOWN", "SAVE") }
        let running = lock.withLock { process }
        let deadline = ContinuousClock.now + .seconds(10)
        while running?.isRunning == true && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        stopProcess()
        try await Task.sleep(for: downtime)
        try await launch()
    }

    /// Freezes the server with SIGSTOP: connections stay open but nothing is answered.
    public func pause() {
        signalProcess(SIGSTOP)
    }

    /// Thaws a server frozen by ``pause()``.
    public func resume() {
        signalProcess(SIGCONT)
    }

    private func signalProcess(_ signal: Int32) {
        lock.withLock {
            if let process, process.isRunning { _ = kill(process.processIdentifier, signal) }
        }
    }

    private func stopProcess() {
        let running = lock.withLock {
            defer { process = nil }
            return process
        }
        guard let running, running.isRunning else { return }
        let pid = running.processIdentifier
        kill(pid, SIGTERM)
        kill(pid, SIGCONT)  // a paused server only acts on SIGTERM once it runs again
        let deadline = ContinuousClock.now + .seconds(5)
        while running.isRunning && ContinuousClock.now < deadline { usleep(5_000) }
        if running.isRunning {
            kill(pid, SIGKILL)
            running.waitUntilExit()
        }
    }

    private func launch() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments =
            [
                "--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--dir", directory, "--logfile", directory + "/redis.log",
                "--unixsocket", unixSocketPath, "--unixsocketperm", "700", "--pidfile", directory + "/redis.pid",
            ] + (password.map { ["--requirepass", $0] } ?? [])
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try Self.runWithUnblockedSignals(process)
        lock.withLock { self.process = process }
        try await waitUntilReady(process)
    }

    /// Spawns with an empty signal mask. A child inherits the spawning thread's mask, and Swift
    /// concurrency's pool threads block nearly every signal, SIGTERM included: redis-server would
    /// then ignore ``stop()``. No suspension point, so the mask is restored on the same thread.
    private static func runWithUnblockedSignals(_ process: Process) throws {
        var unblocked = sigset_t()
        var previous = sigset_t()
        sigemptyset(&unblocked)
        pthread_sigmask(SIG_SETMASK, &unblocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try process.run()
    }

    /// Polls until this very process answers; a server of another test on the same port is
    /// told apart by the `process_id` in `INFO server`.
    private func waitUntilReady(_ process: Process) async throws {
        // Generous: a loaded 2-core CI machine starting dozens of servers at once is slow, not broken.
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                let log = logTail()
                if log.contains("Address already in use") { throw PortTaken.error }
                throw RedisTestServerError.failedToStart(
                    reason: "redis-server exited with status \(process.terminationStatus)",
                    log: log
                )
            }
            if let connection = try? connect(connectTimeout: .milliseconds(200), commandTimeout: .milliseconds(500)),
                let info = try? connection.call("INFO", "server").string
            {
                if info.contains("process_id:\(process.processIdentifier)\r\n") { return }
                throw PortTaken.error
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw RedisTestServerError.failedToStart(reason: "no answer on port \(port) within 30 s", log: logTail())
    }

    private func logTail() -> String {
        let log = (try? String(contentsOfFile: directory + "/redis.log", encoding: .utf8)) ?? ""
        return log.split(separator: "\n").suffix(8).joined(separator: "\n")
    }

    private enum PortTaken: Error { case error }

    private static func findExecutable() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates =
            path.split(separator: ":").map { "\($0)/redis-server" }
            + ["/usr/bin/redis-server", "/usr/local/bin/redis-server", "/opt/homebrew/bin/redis-server"]
        if let found = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) { return found }
        throw RedisTestServerError.notInstalled(searched: ["PATH", "/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"])
    }

    /// Asks the kernel for a free port by binding 127.0.0.1:0 (for servers a test starts).
    public static func freeLoopbackPort() throws -> Int {
        #if canImport(Darwin)
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #else
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #endif
        guard fd >= 0 else {
            throw RedisTestServerError.failedToStart(reason: "socket() failed (errno \(errno))", log: "")
        }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else {
            throw RedisTestServerError.failedToStart(reason: "cannot bind 127.0.0.1:0 (errno \(errno))", log: "")
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Runs `body` with a fresh ``RedisTestServer`` and stops the server afterwards, even on error.
public func withRedisServer<T>(
    password: String? = nil,
    isolation: isolated (any Actor)? = #isolation,
    _ body: (RedisTestServer) async throws -> T
) async throws -> T {
    let server = try await RedisTestServer.start(password: password)
    defer { server.stop() }
    return try await body(server)
}
