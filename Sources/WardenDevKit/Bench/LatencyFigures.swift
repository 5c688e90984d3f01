import Foundation
public import WardenJSON

/// Percentiles of update latencies (update received → handled, its actions queued).
public struct LatencyFigures: Sendable, Equatable {
    public var count = 0
    public var p50 = Duration.zero
    public var p99 = Duration.zero
    public var max = Duration.zero

    public init() {}

    public init<Samples: Collection<Duration>>(_ samples: Samples) {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return }
        count = sorted.count
        p50 = sorted[sorted.count / 2]
        p99 = sorted[Swift.min(sorted.count - 1, sorted.count * 99 / 100)]
        max = sorted[sorted.count - 1]
    }

    /// The whole run, and the run after its first fifth: a bot that just started reads every group's
    /// settings and every user's state from Redis once, so its first seconds show the cold caches, not the
    /// bot that has been running for a day.
    static func wholeAndSteady(_ inOrder: [Duration]) -> (whole: LatencyFigures, steady: LatencyFigures) {
        (LatencyFigures(inOrder), LatencyFigures(inOrder.dropFirst(inOrder.count / 5)))
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    var text: String {
        func ms(_ duration: Duration) -> String { String(format: "%.3f ms", Self.milliseconds(duration)) }
        return "\(ms(p50)) / \(ms(p99)) / \(ms(max))"
    }

    var json: JSONValue {
        [
            "updates": .int(Int64(count)), "p50": .double(Self.milliseconds(p50)),
            "p99": .double(Self.milliseconds(p99)), "max": .double(Self.milliseconds(max)),
        ]
    }
}
