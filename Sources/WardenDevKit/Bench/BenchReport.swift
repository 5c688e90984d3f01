import Foundation
public import WardenJSON

/// What `warden bench` measured, printed as a table or one JSON object.
public struct BenchReport: Sendable {
    public var workers = 0
    public var extraPatterns = 0
    public var updates = 0
    public var ordinary = 0
    public var commands = 0
    public var spam = 0
    public var seconds = 0.0
    public var updatesPerSecond: Double { seconds > 0 ? Double(updates) / seconds : 0 }
    /// Update received (its batch reached the router) → handled, its actions queued: over the whole run, and
    /// after its first fifth (the caches warm).
    public var latency = LatencyFigures()
    public var latencyAfterWarmUp = LatencyFigures()
    /// Groups whose owner sent `/settings` before the measured run (0: a cold start, `--cold`).
    public var warmedUpGroups = 0
    /// Paced runs (`--rate`): the rate asked for; 0 for as fast as possible.
    public var offeredRate = 0
    public var redisRoundTripsPerUpdate = 0.0
    /// Measured on a separate run of ordinary messages only.
    public var redisRoundTripsPerOrdinaryMessage = 0.0
    public var ordinarySample = 0
    /// This process (the bot and the workload; the simulator too when it runs inside), and what it held
    /// before the bot started.
    public var peakRSSMegabytes = 0.0
    public var rssBeforeBotMegabytes = 0.0
    /// The simulator's process, when it runs in one of its own; nil when it ran inside this one.
    public var simulatorPeakRSSMegabytes: Double?
    public var actionsQueued = 0
    /// Errors raised by plugins during the run: not 0 means the figures are for a bot that failed.
    public var pluginErrors = 0
    /// Reads the shared read cache answered, and reads of cached keys that went to Redis.
    public var cacheHits = 0
    public var cacheMisses = 0
    /// Keys read ahead, in one round trip a batch, for chats seen for the first time.
    public var cacheReadAhead = 0
    /// Reads of cached keys and stamps answered inside the Lua states, from their copies of the read cache.
    public var copyAnswers = 0
    /// Worker time and Lua allocation per update, by phase (`total`, `redis`, `ledger`, `pre_process flood`, …),
    /// the longest first: where the time goes, and the garbage the Lua collector has to free.
    public var workerTime: [Phase] = []
    /// This machine's speed before the run and after it: a fixed Lua loop on one core (`ReferenceLoop`), best of
    /// three. Apart, the machine's speed changed during the run.
    public var referenceLoopMilliseconds = (before: 0.0, after: 0.0)

    public struct Phase: Sendable {
        public var name: String
        public var microseconds: Double
        /// Bytes allocated in Lua per update (growth only: what the collector will free).
        public var luaBytes: Double
    }

    public init() {}

    public var table: String {
        let rows: [(String, String)] =
            [
                ("workers", "\(workers)"), ("extra command patterns", "\(extraPatterns)"),
                (
                    "updates",
                    "\(updates) (\(ordinary) ordinary, \(commands) commands, \(spam) spam/flood)"
                        + (offeredRate > 0 ? ", offered at \(offeredRate)/s" : "")
                ),
                (
                    "warm-up",
                    warmedUpGroups > 0
                        ? "/settings from the owner of each of \(warmedUpGroups) groups, twice, before the clock started"
                        : "none (cold start: no group's admin list or settings known)"
                ),
                ("time", String(format: "%.2f s", seconds)),
                ("updates/s", String(format: "%.0f", updatesPerSecond)),
                ("latency p50 / p99 / max", latency.text),
                ("  after the first fifth", latencyAfterWarmUp.text + " (\(latencyAfterWarmUp.count) updates)"),
                ("Redis round trips per update", String(format: "%.2f", redisRoundTripsPerUpdate)),
                (
                    "Redis round trips per ordinary message",
                    String(format: "%.2f (%d messages)", redisRoundTripsPerOrdinaryMessage, ordinarySample)
                ),
                ("read cache hits / misses", "\(cacheHits) / \(cacheMisses) (and \(cacheReadAhead) keys read ahead)"),
                ("  answered by the Lua states' copies", "\(copyAnswers) more (no host call)"),
                ("actions queued", "\(actionsQueued)"), ("plugin errors", "\(pluginErrors)"),
                (
                    "reference loop (one core)",
                    String(
                        format: "%.1f ms before, %.1f ms after (the machine's speed: compare runs by it)",
                        referenceLoopMilliseconds.before,
                        referenceLoopMilliseconds.after
                    )
                ),
            ] + memoryRows
        let width = rows.map(\.0.count).max() ?? 0
        let lines = rows.map { "  " + $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
        return (lines + workerTimeLines).joined(separator: "\n")
    }

    private var memoryRows: [(String, String)] {
        guard let simulatorPeakRSSMegabytes else {
            return [
                ("peak RSS (whole process)", String(format: "%.1f MB (the simulator inside it)", peakRSSMegabytes)),
                (
                    "RSS before the bot started",
                    String(format: "%.1f MB (simulator world, Swift runtime, workload)", rssBeforeBotMegabytes)
                ),
            ]
        }
        return [
            ("peak RSS (bot process)", String(format: "%.1f MB", peakRSSMegabytes)),
            ("RSS before the bot started", String(format: "%.1f MB (Swift runtime, workload)", rssBeforeBotMegabytes)),
            ("peak RSS (simulator process)", String(format: "%.1f MB", simulatorPeakRSSMegabytes)),
        ]
    }

    /// The phases over 1 µs an update; `redis` is time blocked on round trips inside the others (and
    /// allocates nothing in Lua).
    private var workerTimeLines: [String] {
        let shown = workerTime.filter { $0.microseconds >= 1 }
        guard !shown.isEmpty else { return [] }
        let width = shown.map(\.name.count).max() ?? 0
        return ["  worker time and Lua allocation per update (all workers)"]
            + shown.map {
                "    " + $0.name.padding(toLength: width, withPad: " ", startingAt: 0)
                    + String(format: "  %7.1f µs  %7.2f KB", $0.microseconds, $0.luaBytes / 1024)
            }
    }

    public var json: JSONValue {
        [
            "workers": .int(Int64(workers)), "extra_patterns": .int(Int64(extraPatterns)),
            "updates": .int(Int64(updates)), "ordinary": .int(Int64(ordinary)), "commands": .int(Int64(commands)),
            "spam": .int(Int64(spam)), "seconds": .double(seconds), "updates_per_second": .double(updatesPerSecond),
            "offered_rate": .int(Int64(offeredRate)), "warmed_up_groups": .int(Int64(warmedUpGroups)),
            "latency_ms": latency.json, "latency_after_warm_up_ms": latencyAfterWarmUp.json,
            "redis_round_trips_per_update": .double(redisRoundTripsPerUpdate),
            "redis_round_trips_per_ordinary_message": .double(redisRoundTripsPerOrdinaryMessage),
            "cache_hits": .int(Int64(cacheHits)), "cache_misses": .int(Int64(cacheMisses)),
            "cache_read_ahead": .int(Int64(cacheReadAhead)), "copy_answers": .int(Int64(copyAnswers)),
            "actions_queued": .int(Int64(actionsQueued)), "plugin_errors": .int(Int64(pluginErrors)),
            "peak_rss_mb": .double(peakRSSMegabytes), "rss_before_bot_mb": .double(rssBeforeBotMegabytes),
            "reference_loop_ms": [
                "before": .double(referenceLoopMilliseconds.before), "after": .double(referenceLoopMilliseconds.after),
            ],
            "simulator_peak_rss_mb": simulatorPeakRSSMegabytes.map(JSONValue.double) ?? .null,
            "worker_time_us": .object(
                Dictionary(uniqueKeysWithValues: workerTime.map { ($0.name, .double($0.microseconds)) })
            ),
            "lua_bytes_allocated": .object(
                Dictionary(uniqueKeysWithValues: workerTime.map { ($0.name, .double($0.luaBytes)) })
            ),
        ]
    }
}

/// Resident set sizes of this process, from /proc (Linux).
enum ProcessMemory {
    /// Peak (VmHWM) and current (VmRSS) in megabytes of this process or another; 0 where /proc is missing.
    static func megabytes(of pid: Int32? = nil) -> (peak: Double, current: Double) {
        let path = "/proc/\(pid.map(String.init) ?? "self")/status"
        guard let status = try? String(contentsOfFile: path, encoding: .utf8) else { return (0, 0) }
        func field(_ name: String) -> Double {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return 0 }
            return (Double(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "0") ?? 0)
                / 1024
        }
        return (field("VmHWM"), field("VmRSS"))
    }
}
