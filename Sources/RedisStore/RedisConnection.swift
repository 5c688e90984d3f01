internal import CHiredis

/// A blocking connection to one Redis server, built on hiredis.
///
/// **Single owner, not thread-safe.** Use a connection from one thread or task at a time (for
/// example, one per worker, or inside an actor); it is deliberately not `Sendable`. Every call
/// blocks the calling thread; each connect is bounded by `connectTimeout` and each socket read
/// or write by `commandTimeout`.
///
/// When the connection breaks (I/O error, timeout, server closed it), the hiredis context is
/// freed and the failing call throws. The next call reconnects, at once the first time and then
/// spaced by the ``RedisReconnectPolicy``; calls made while the backoff delay has not passed fail
/// fast with ``RedisError/connection(errno:message:)`` instead of waiting or retrying, so a
/// caller never spins against a server that is down. Commands are never retried automatically,
/// since a command that timed out may still have run.
///
/// The first connection made in the process sets `SIGPIPE` to ignored unless the application
/// installed its own handler: hiredis writes with `write(2)`, and a write to a socket closed by
/// the server would otherwise kill the process.
public final class RedisConnection {
    /// The server this connection talks to.
    public let url: RedisURL
    /// The limit for establishing a TCP or Unix connection (a host name lookup is not covered).
    public let connectTimeout: Duration
    /// The limit for sending a command or pipeline and receiving each reply.
    public let commandTimeout: Duration
    /// Round trips made so far: one per `send`, `call` or `pipeline`, one or two per `evalScript`.
    /// The `AUTH`/`SELECT` handshake after each connect is not counted.
    public private(set) var roundTrips = 0
    /// Time spent in round trips so far (sending and waiting for the replies), for `warden bench`.
    public private(set) var roundTripTime: Duration = .zero
    /// Calls that failed for want of a working connection (connect errors, time-outs, a closed socket);
    /// error replies from the server are not failures. A caller can compare it before and after some work
    /// to learn whether Redis went away meanwhile.
    public private(set) var failures = 0
    /// Successful connects, the first one included; more than one means the connection was re-established.
    public private(set) var connectionCount = 0
    /// The reconnect state: consecutive failed attempts and when the next one may be made.
    public private(set) var reconnectBackoff: RedisReconnectBackoff
    /// Error replies to commands queued with ``queueForNextRoundTrip(_:)``, which nobody waited for.
    public private(set) var queuedCommandErrors = 0
    /// Replies still to come for queued commands, ahead of the next round trip's own.
    private var queuedReplies = 0

    var context: UnsafeMutablePointer<redisContext>?
    private var lastConnectError: RedisError?
    private var isClosed = false

    /// Connects, authenticates and selects the database, throwing if any step fails.
    ///
    /// - Parameters:
    ///   - url: The server, credentials and database.
    ///   - connectTimeout: The limit for each connect; must be positive.
    ///   - commandTimeout: The limit for each reply; must be positive.
    ///   - reconnectPolicy: The spacing of reconnect attempts after failures.
    public init(
        url: RedisURL,
        connectTimeout: Duration = .seconds(2),
        commandTimeout: Duration = .seconds(2),
        reconnectPolicy: RedisReconnectPolicy = .default
    ) throws(RedisError) {
        precondition(connectTimeout > .zero && commandTimeout > .zero, "Redis timeouts must be positive")
        self.url = url
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.reconnectBackoff = RedisReconnectBackoff(policy: reconnectPolicy)
        _ = try liveContext()
    }

    /// Parses `url` (see ``RedisURL``) and connects.
    public convenience init(
        url: String,
        connectTimeout: Duration = .seconds(2),
        commandTimeout: Duration = .seconds(2),
        reconnectPolicy: RedisReconnectPolicy = .default
    ) throws(RedisError) {
        try self.init(
            url: RedisURL(url),
            connectTimeout: connectTimeout,
            commandTimeout: commandTimeout,
            reconnectPolicy: reconnectPolicy
        )
    }

    deinit {
        if let context { redisFree(context) }
    }

    /// Whether a hiredis context is currently open (it may still turn out to be broken on use).
    public var isConnected: Bool { context != nil }

    /// Sends one command and returns its reply; a server error comes back as ``RedisReply/error(_:)``.
    ///
    /// Arguments are binary-safe: they may contain NUL bytes and arbitrary data.
    public func send(_ args: [[UInt8]]) throws(RedisError) -> RedisReply {
        try pipeline([args])[0]
    }

    /// Sends one command given as UTF-8 strings, such as `send("SET", key, value)`.
    public func send(_ args: String...) throws(RedisError) -> RedisReply {
        try send(args.map { Array($0.utf8) })
    }

    /// Sends one command and throws ``RedisError/server(_:)`` if the server answers with an error.
    public func call(_ args: [[UInt8]]) throws(RedisError) -> RedisReply {
        try send(args).checked()
    }

    /// Sends one command given as UTF-8 strings and throws on a server error reply.
    public func call(_ args: String...) throws(RedisError) -> RedisReply {
        try send(args.map { Array($0.utf8) }).checked()
    }

    /// Sends all commands, then reads all replies: one round trip. Replies come back in order;
    /// server errors are returned in place as ``RedisReply/error(_:)``.
    ///
    /// If the connection fails part-way the whole call throws, and some commands may have run.
    public func pipeline(_ commands: [[[UInt8]]]) throws(RedisError) -> [RedisReply] {
        guard !commands.isEmpty else { return [] }
        try Self.checkArguments(commands)
        let context: UnsafeMutablePointer<redisContext>
        do throws(RedisError) {
            context = try liveContext()
        } catch {
            failures += 1
            throw error
        }
        roundTrips += 1
        let started = ContinuousClock.now
        defer { roundTripTime += ContinuousClock.now - started }
        do throws(RedisError) {
            let queued = queuedReplies
            queuedReplies = 0
            let replies = try exchange(context, commands, after: queued)
            guard queued > 0 else { return replies }
            queuedCommandErrors += replies.prefix(queued).count { $0.errorMessage != nil }
            return Array(replies.dropFirst(queued))
        } catch {
            // After a failed exchange the reply stream is out of step; only a new context is safe.
            failures += 1
            dropContext()
            throw error
        }
    }

    /// Queues commands to go out with the next round trip, ahead of its own commands, for writes nobody
    /// needs an answer to: they cost no round trip of their own, and still run before anything this
    /// connection sends later. Their replies are read with that round trip and dropped; error replies are
    /// counted in ``queuedCommandErrors``. If the connection breaks first, they may not have run.
    public func queueForNextRoundTrip(_ commands: [[[UInt8]]]) throws(RedisError) {
        try Self.checkArguments(commands)
        do throws(RedisError) {
            let context = try liveContext()
            try append(context, commands)
        } catch {
            failures += 1
            dropContext()
            throw error
        }
        queuedReplies += commands.count
    }

    /// hiredis takes an argument count as an `Int32`, and a command needs its name.
    private static func checkArguments(_ commands: [[[UInt8]]]) throws(RedisError) {
        for command in commands where command.isEmpty || command.count > Int(Int32.max) {
            throw .protocolError("cannot send a command with \(command.count) arguments")
        }
    }

    /// Queues commands given as UTF-8 strings for the next round trip.
    public func queueForNextRoundTrip(_ commands: [[String]]) throws(RedisError) {
        try queueForNextRoundTrip(commands.map { $0.map { Array($0.utf8) } })
    }

    /// Pipelines commands given as UTF-8 strings.
    public func pipeline(_ commands: [[String]]) throws(RedisError) -> [RedisReply] {
        try pipeline(commands.map { $0.map { Array($0.utf8) } })
    }

    /// Closes the connection; later calls throw ``RedisError/closed``. Calling it twice is harmless.
    public func close() {
        isClosed = true
        dropContext()
    }

    /// The open context, reconnecting first if the last one broke and the backoff allows it.
    func liveContext() throws(RedisError) -> UnsafeMutablePointer<redisContext> {
        if isClosed { throw .closed }
        if let context { return context }
        let now = ContinuousClock.now
        guard reconnectBackoff.mayAttempt(at: now) else { throw backoffError(now: now) }
        do throws(RedisError) {
            let opened = try openContext()
            context = opened
            connectionCount += 1
            reconnectBackoff.recordSuccess()
            lastConnectError = nil
            return opened
        } catch {
            reconnectBackoff.recordFailure(at: .now)
            lastConnectError = error
            throw error
        }
    }

    func dropContext() {
        if let context { redisFree(context) }
        context = nil
        queuedReplies = 0
    }

    private func backoffError(now: ContinuousClock.Instant) -> RedisError {
        let wait = reconnectBackoff.remainingDelay(at: now).wholeMilliseconds
        let failures = reconnectBackoff.consecutiveFailures
        var errno: Int32 = 0
        var cause = "unknown error"
        if case .connection(let lastErrno, let message) = lastConnectError {
            errno = lastErrno
            cause = message
        } else if let lastConnectError {
            cause = lastConnectError.description
        }
        return .connection(
            errno: errno,
            message:
                "\(url) unavailable after \(failures) failed connect attempt(s), next attempt in \(wait) ms; last error: \(cause)"
        )
    }
}

/// A connection has one owner; sharing it across concurrency domains would interleave replies.
@available(*, unavailable)
extension RedisConnection: Sendable {}
