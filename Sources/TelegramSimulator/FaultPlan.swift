/// A failure the simulator injects into Bot API requests, for robustness tests.
public struct Fault: Sendable, Hashable {
    /// What the affected requests see.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// HTTP 500 `{"ok":false,"error_code":500,"description":"Internal Server Error"}`, nothing executed.
        case internalError = "500"
        /// The request hangs for `seconds`, then the connection closes without an answer; nothing executed.
        case timeout
        /// HTTP 429 "Too Many Requests: retry after N" with `parameters.retry_after`, nothing executed.
        case tooManyRequests = "429"
        /// The connection closes at once without an answer; nothing executed.
        case drop
    }

    /// What the affected requests see.
    public var kind: Kind
    /// How many requests are affected.
    public var count: Int
    /// Only requests for these methods (case-insensitive); nil for every method.
    public var methods: Set<String>?
    /// For `.timeout`: how long to hang.
    public var seconds: Double
    /// For `.tooManyRequests`: the `retry_after` to announce.
    public var retryAfter: Int

    /// Creates a fault for the next `count` requests.
    public init(kind: Kind, count: Int = 1, methods: Set<String>? = nil, seconds: Double = 30, retryAfter: Int = 5) {
        self.kind = kind
        self.count = count
        self.methods = methods.map { Set($0.map { $0.lowercased() }) }
        self.seconds = seconds
        self.retryAfter = retryAfter
    }
}

/// Faults waiting to be spent, first set first spent.
struct FaultPlan: Sendable {
    private(set) var faults: [Fault] = []
    private(set) var injected = 0

    mutating func add(_ fault: Fault) {
        if fault.count > 0 { faults.append(fault) }
    }

    mutating func clear() { faults.removeAll() }

    /// The fault for a request to `method`, if one is armed for it; spends one of its count.
    mutating func take(method: String) -> Fault? {
        let name = method.lowercased()
        guard let index = faults.firstIndex(where: { $0.methods?.contains(name) ?? true }) else { return nil }
        let fault = faults[index]
        faults[index].count -= 1
        if faults[index].count <= 0 { faults.remove(at: index) }
        injected += 1
        return fault
    }
}
