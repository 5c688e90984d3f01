import Foundation
import Metrics
public import Prometheus
import Synchronization

/// What Warden counts and times, through swift-metrics into one Prometheus registry per bot (no global
/// bootstrap, so tests and several bots in one process keep their figures apart). Served at `/metrics`.
public final class WardenMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let outboxDepth: Metrics.Gauge
    private let tooManyRequests: Metrics.Counter
    private let redisLatency: Metrics.Timer
    /// Handles by plugin or update kind: made once, as the factory checks the name and takes a lock each time.
    private let pluginCounters = Mutex<[String: (Metrics.Counter, Metrics.FloatingPointCounter)]>([:])
    private let updateCounters = Mutex<[String: Metrics.Counter]>([:])
    private let luaMemoryGauges = Mutex<[Int: Metrics.Gauge]>([:])

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Seconds for plugin and Redis times; buckets from 50 µs to 1 s.
        factory.defaultDurationHistogramBuckets = [
            .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
            .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(100),
            .milliseconds(250), .seconds(1),
        ]
        self.factory = factory
        outboxDepth = Metrics.Gauge(label: "warden_outbox_queue_depth", factory: factory)
        tooManyRequests = Metrics.Counter(label: "warden_telegram_429_total", factory: factory)
        redisLatency = Metrics.Timer(label: "warden_redis_round_trip_seconds", factory: factory)
    }

    /// An update taken in, by kind (`message`, `callback_query`, …).
    func updateReceived(kind: String) {
        let counter = updateCounters.withLock { counters in
            if let counter = counters[kind] { return counter }
            let counter = Metrics.Counter(label: "warden_updates_total", dimensions: [("kind", kind)], factory: factory)
            counters[kind] = counter
            return counter
        }
        counter.increment()
    }

    /// Calls of one plugin's functions (`pre_process`, `run`, handlers, `cron`, timers) and their time, as
    /// `warden_plugin_calls_total` and `warden_plugin_seconds_total`: which plugin costs what, and its mean.
    func pluginCalls(_ plugin: String, count: Int, time: Duration) {
        let (calls, seconds) = pluginCounters.withLock { counters in
            if let pair = counters[plugin] { return pair }
            let pair = (
                Metrics.Counter(label: "warden_plugin_calls_total", dimensions: [("plugin", plugin)], factory: factory),
                Metrics.FloatingPointCounter(
                    label: "warden_plugin_seconds_total",
                    dimensions: [("plugin", plugin)],
                    factory: factory
                )
            )
            counters[plugin] = pair
            return pair
        }
        calls.increment(by: count)
        seconds.increment(by: Double(Self.nanoseconds(time)) / 1e9)
    }

    func pluginError(_ plugin: String) {
        Metrics.Counter(label: "warden_plugin_errors_total", dimensions: [("plugin", plugin)], factory: factory)
            .increment()
    }

    /// A Bot API action's result: `ok`, `rejected`, `rate_limited`, `retry` or `migrated`.
    func action(_ method: String, result: String, count: Int = 1) {
        Metrics.Counter(
            label: "warden_actions_total",
            dimensions: [("method", method), ("result", result)],
            factory: factory
        )
        .increment(by: count)
        if result == "rate_limited" { tooManyRequests.increment() }
    }

    func outboxQueued(_ depth: Int) { outboxDepth.record(depth) }

    /// Bytes a worker's Lua state holds, as `warden_lua_memory_bytes{worker}`: what plugins keep in memory
    /// (flood windows, memos), to tell their growth from the process's.
    func luaMemory(worker: Int, bytes: Int) {
        let gauge = luaMemoryGauges.withLock { gauges in
            if let gauge = gauges[worker] { return gauge }
            let gauge = Metrics.Gauge(
                label: "warden_lua_memory_bytes",
                dimensions: [("worker", String(worker))],
                factory: factory
            )
            gauges[worker] = gauge
            return gauge
        }
        gauge.record(bytes)
    }

    func redisRoundTrip(_ duration: Duration) { redisLatency.recordNanoseconds(Self.nanoseconds(duration)) }

    /// The Prometheus text format.
    public func exposition() -> [UInt8] { registry.emitToBuffer() }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
