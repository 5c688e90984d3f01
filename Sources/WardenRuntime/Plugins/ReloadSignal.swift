import Synchronization

/// `/reload` from any worker reaches all of them: the request bumps a shared generation, and each
/// worker reloads its plugin files before its next batch when its generation is behind.
public final class ReloadSignal: Sendable {
    private let generation = Atomic<Int>(0)

    public init() {}

    public var current: Int { generation.load(ordering: .acquiring) }

    public func request() { generation.add(1, ordering: .releasing) }
}
