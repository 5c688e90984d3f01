/// Telegram's limits as the outbox keeps them.
///
/// Each limit is a token bucket; in any window of W seconds at most
/// `burst + rate × W` requests go out, so the defaults stay under Telegram's
/// figures over every window, not just on average.
public struct OutboxConfiguration: Sendable {
    /// Requests per second across the bot, and the burst (Telegram: about 30/s): ≤ 24 in any second
    /// as sent, leaving room for requests that bunch up on the way (connection setup, a busy CPU).
    public var globalPerSecond: Double = 20
    public var globalBurst: Double = 4
    /// Messages per minute into one group, and the burst (Telegram: 20/min): ≤ 20 in any minute.
    public var groupPerMinute: Double = 16
    public var groupBurst: Double = 4
    /// Messages per second into one chat, and the burst (Telegram: about 1/s).
    public var chatPerSecond: Double = 1
    public var chatBurst: Double = 2
    /// How long a first deletion waits for others in the same chat, to merge them into `deleteMessages`.
    public var deleteBatchWindow: Double = 0.05
    /// Requests in flight at once (a chat's messages go one at a time).
    public var maxInFlight = 8
    /// 5xx and network errors are retried until this many attempts, with capped exponential backoff.
    public var maxAttempts = 8
    public var initialBackoff: Double = 0.5
    public var maxBackoff: Double = 30

    public init() {}
}
