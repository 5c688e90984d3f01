import TelegramSimulator
import WardenTestSupport

/// When the fault run strikes: each event at a seeded random point between 10% and 90% of the dispatches.
struct FaultSchedule {
    struct Event {
        enum Kind {
            case kill
            case redisRestart
            case faults(Burst)
        }
        var threshold: Int
        var kind: Kind
    }

    /// A stretch of bad answers from Telegram.
    struct Burst {
        var kind: Fault.Kind
        var count: Int
        var seconds: Double?
        var retryAfter: Int?

        var description: String {
            switch kind {
            case .timeout: "\(count) time-outs of \(Int(seconds ?? 0)) s"
            case .tooManyRequests: "a 429 storm (\(count) × retry after \(retryAfter ?? 0) s)"
            default: "\(count) × \(kind.rawValue)"
            }
        }
    }

    /// The bursts, in turn: 500s, time-outs, a 429 storm.
    static let bursts = [
        Burst(kind: .internalError, count: 60),
        Burst(kind: .timeout, count: 4, seconds: 3),
        Burst(kind: .tooManyRequests, count: 80, retryAfter: 1),
    ]

    /// A burst's faults not spent by then are dropped.
    static let longestOutage: Duration = .seconds(15)

    private var events: [Event]

    init(options: FaultRun.Options, total: Int) {
        var random = SeededGenerator(seed: options.seed &+ 1)
        func point() -> Int { Int(Double(total) * Double.random(in: 0.1..<0.9, using: &random)) }
        var events = (0..<options.kills).map { _ in Event(threshold: point(), kind: .kill) }
        events += (0..<options.redisRestarts).map { _ in Event(threshold: point(), kind: .redisRestart) }
        events += (0..<options.faultBursts).map { Event(threshold: point(), kind: .faults(Self.bursts[$0 % 3])) }
        self.events = events.sorted { $0.threshold > $1.threshold }  // popped from the end
    }

    mutating func next() -> Event? { events.popLast() }
}
