import Foundation

/// Where the simulator reads "now" (Unix seconds): message dates, ban expiry, the 48-hour rule and rate limits.
///
/// Waiting (long polls, webhook retries, hang faults) always uses real time; only what Telegram would
/// compute from the clock is injectable, so tests can age a message by two days or refill a rate limit at once.
public struct TimeSource: Sendable {
    private let read: @Sendable () -> Double

    /// A source that returns whatever `now` returns.
    public init(_ now: @escaping @Sendable () -> Double) { read = now }

    /// The current Unix time in seconds, with a fraction.
    public func now() -> Double { read() }

    /// The system clock.
    public static let system = TimeSource { Date().timeIntervalSince1970 }

    /// A source that reads a `ManualTime`, moved only by the test.
    public static func manual(_ time: ManualTime) -> TimeSource { TimeSource { time.now } }
}

/// A clock that stands still until told to move; for deterministic rate-limit and expiry tests.
public final class ManualTime: @unchecked Sendable {
    // NSLock keeps this usable from any thread without a dependency on NIO's locks.
    private let lock = NSLock()
    private var seconds: Double

    /// Starts at `start` Unix seconds (default: 1,700,000,000, a Tuesday in November 2023).
    public init(start: Double = 1_700_000_000) { seconds = start }

    /// The current reading.
    public var now: Double {
        lock.lock()
        defer { lock.unlock() }
        return seconds
    }

    /// Moves the clock forward (or back, for a negative value).
    public func advance(by delta: Double) {
        lock.lock()
        seconds += delta
        lock.unlock()
    }

    /// Sets the clock.
    public func set(_ value: Double) {
        lock.lock()
        seconds = value
        lock.unlock()
    }
}
