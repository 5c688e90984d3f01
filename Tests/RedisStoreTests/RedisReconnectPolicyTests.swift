import RedisStore
import Testing

@Suite("Reconnect backoff")
struct RedisReconnectPolicyTests {
    @Test func defaultPolicyDoublesFrom50msUpTo2s() {
        let policy = RedisReconnectPolicy.default
        let delays = (0...9).map { policy.delay(afterFailures: $0) }
        #expect(
            delays == [
                .zero, .milliseconds(50), .milliseconds(100), .milliseconds(200), .milliseconds(400),
                .milliseconds(800), .milliseconds(1600), .seconds(2), .seconds(2), .seconds(2),
            ]
        )
        #expect(policy.delay(afterFailures: Int.max) == .seconds(2))
    }

    @Test func degeneratePoliciesStayBounded() {
        #expect(RedisReconnectPolicy(initialDelay: .zero, maxDelay: .seconds(1)).delay(afterFailures: Int.max) == .zero)
        let flat = RedisReconnectPolicy(initialDelay: .milliseconds(10), maxDelay: .seconds(1), multiplier: 1)
        #expect(flat.delay(afterFailures: Int.max) == .milliseconds(10))
        let inverted = RedisReconnectPolicy(initialDelay: .seconds(3), maxDelay: .seconds(1))
        #expect(inverted.delay(afterFailures: 5) == .seconds(3), "maxDelay is raised to initialDelay")
    }

    @Test func backoffStateGatesAttempts() {
        var backoff = RedisReconnectBackoff()
        let t0 = ContinuousClock.now
        #expect(backoff.mayAttempt(at: t0))

        backoff.recordFailure(at: t0)
        #expect(!backoff.mayAttempt(at: t0 + .milliseconds(49)))
        #expect(backoff.remainingDelay(at: t0 + .milliseconds(20)) == .milliseconds(30))
        #expect(backoff.mayAttempt(at: t0 + .milliseconds(50)))

        let t1 = t0 + .milliseconds(60)
        backoff.recordFailure(at: t1)
        #expect(backoff.consecutiveFailures == 2)
        #expect(!backoff.mayAttempt(at: t1 + .milliseconds(99)))
        #expect(backoff.mayAttempt(at: t1 + .milliseconds(100)))

        backoff.recordSuccess()
        #expect(backoff.consecutiveFailures == 0)
        #expect(backoff.mayAttempt(at: t1))
        #expect(backoff.remainingDelay(at: t1) == .zero)
    }
}
