/// What the outbox did, for logs, `/metrics` and `warden bench`.
public struct OutboxStats: Sendable, Equatable {
    /// Bot API requests sent (a merged `deleteMessages` is one).
    public var requests = 0
    public var actions = 0
    /// Deletions that went out inside a merged `deleteMessages`.
    public var mergedDeletions = 0
    /// 429 answers received.
    public var rateLimited = 0
    /// 5xx / network / time-out results (each retried until the attempt limit).
    public var transientFailures = 0
    /// Actions refused by Telegram (passed to the plugin's callback).
    public var rejected = 0
    /// Actions waiting now.
    public var queued = 0
    public var inFlight = 0
}
