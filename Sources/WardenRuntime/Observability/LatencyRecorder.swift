import Synchronization

/// Times from "update received" (its batch reached the router) to "handled, its actions queued", for
/// `warden bench`. Keeps every sample: a bench run is at most a few hundred thousand updates.
public final class LatencyRecorder: Sendable {
    private let samples = Mutex<[Duration]>([])

    public init() {}

    /// Records `count` updates that waited `latency` (a batch's, handed to the outbox together).
    func record(_ latency: Duration, count: Int) {
        samples.withLock { $0.append(contentsOf: repeatElement(latency, count: count)) }
    }

    /// Forgets what was recorded (between a warm-up and the measured run).
    public func reset() {
        samples.withLock { $0.removeAll(keepingCapacity: true) }
    }

    /// The recorded latencies, in the order their updates were handled (a warm-up can be told apart).
    public func inOrder() -> [Duration] {
        samples.withLock { $0 }
    }
}
