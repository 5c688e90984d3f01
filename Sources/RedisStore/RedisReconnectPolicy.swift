/// How long to wait between attempts to reconnect to an unavailable Redis: capped exponential
/// backoff, 50 ms doubling to 2 s by default.
///
/// Pure value: no clock, no I/O, so it can be tested directly.
public struct RedisReconnectPolicy: Sendable, Hashable {
    /// The wait after the first failed attempt.
    public var initialDelay: Duration
    /// The longest wait, reached after enough consecutive failures.
    public var maxDelay: Duration
    /// The factor by which the wait grows after each further failure.
    public var multiplier: Int

    /// 50 ms, doubling, capped at 2 s.
    public static let `default` = RedisReconnectPolicy(
        initialDelay: .milliseconds(50),
        maxDelay: .seconds(2),
        multiplier: 2
    )

    /// Creates a policy; `multiplier` below 1 is treated as 1.
    public init(initialDelay: Duration, maxDelay: Duration, multiplier: Int = 2) {
        self.initialDelay = max(initialDelay, .zero)
        self.maxDelay = max(maxDelay, self.initialDelay)
        self.multiplier = max(multiplier, 1)
    }

    /// The wait before the next attempt after `failures` consecutive failed attempts.
    ///
    /// Zero failures means no wait: a connection that just broke is retried at once.
    public func delay(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        var delay = initialDelay
        var steps = failures - 1
        // Stops growing at the cap, so the loop is short and cannot overflow for any failure count.
        while steps > 0, multiplier > 1, delay > .zero, delay < maxDelay {
            delay *= multiplier
            steps -= 1
        }
        return min(delay, maxDelay)
    }
}

/// The reconnect state of one connection: consecutive failures and the earliest next attempt.
///
/// Callers pass the current instant in, so the state machine is deterministic under test.
public struct RedisReconnectBackoff: Sendable, Hashable {
    /// The policy that spaces the attempts.
    public let policy: RedisReconnectPolicy
    /// Connection attempts that failed since the last success.
    public private(set) var consecutiveFailures = 0
    /// No attempt should be made before this instant; nil when an attempt may be made at once.
    public private(set) var notBefore: ContinuousClock.Instant?

    /// Creates the state of a connection that has not failed yet.
    public init(policy: RedisReconnectPolicy = .default) {
        self.policy = policy
    }

    /// Whether a connection attempt may be made at `now`.
    public func mayAttempt(at now: ContinuousClock.Instant) -> Bool {
        notBefore.map { now >= $0 } ?? true
    }

    /// How long until an attempt may be made; zero if one may be made now.
    public func remainingDelay(at now: ContinuousClock.Instant) -> Duration {
        notBefore.map { max($0 - now, .zero) } ?? .zero
    }

    /// Records a failed attempt at `now` and schedules the next one.
    public mutating func recordFailure(at now: ContinuousClock.Instant) {
        consecutiveFailures += 1
        notBefore = now + policy.delay(afterFailures: consecutiveFailures)
    }

    /// Records a successful connection, so a later break is retried at once.
    public mutating func recordSuccess() {
        consecutiveFailures = 0
        notBefore = nil
    }
}
