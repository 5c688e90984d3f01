/// A token bucket: `rate` tokens per second, holding at most `burst`.
///
/// Pure: the caller passes the time (seconds on a monotonic clock).
struct RateBucket: Sendable, Equatable {
    let rate: Double
    let burst: Double
    private(set) var tokens: Double
    private(set) var updatedAt: Double

    init(rate: Double, burst: Double, now: Double = 0) {
        self.rate = rate
        self.burst = max(1, burst)
        tokens = max(1, burst)
        updatedAt = now
    }

    private mutating func refill(_ now: Double) {
        guard now > updatedAt else { return }
        tokens = available(at: now)
        updatedAt = now
    }

    /// Whether a token is available now (without taking it, or changing anything).
    func hasToken(at now: Double) -> Bool { available(at: now) >= 1 }

    /// Takes a token; call only after `hasToken` said yes.
    mutating func take(at now: Double) {
        refill(now)
        tokens -= 1
    }

    /// When the next token will be there.
    func nextToken(after now: Double) -> Double {
        let tokens = available(at: now)
        return tokens >= 1 ? now : now + (1 - tokens) / rate
    }

    /// When the next token is (or was) there, from the last take: in the past when one is there now.
    var tokenTime: Double { tokens >= 1 ? updatedAt : updatedAt + (1 - tokens) / rate }

    private func available(at now: Double) -> Double {
        now > updatedAt ? min(burst, tokens + (now - updatedAt) * rate) : tokens
    }
}

extension Duration {
    /// The duration in seconds, for the clocks a `RateBucket` is given.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
