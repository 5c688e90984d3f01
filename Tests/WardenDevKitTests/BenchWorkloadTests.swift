import Testing
import WardenJSON

@testable import TelegramSimulator
@testable import WardenDevKit

/// The bench's traffic is the mix issue 6 names, counted in updates: 90% ordinary, 5% commands, 5% spam
/// and floods.
struct BenchWorkloadTests {
    @Test func mixIsNinetyFiveFiveInUpdates() {
        let world = TelegramSimulator.BenchWorld(
            groupIDs: (1...10).map { -Int64($0) },
            userIDs: (1...100).map { Int64($0) },
            ownerIDs: (1...10).map { Int64(1000 + $0) },
            members: []
        )
        var workload = BenchWorkload(world: world, seed: 7)
        let (posts, counts) = workload.posts(count: 100_000, now: 1_700_000_000)
        #expect(posts.count == 100_000)
        #expect(counts.ordinary + counts.commands + counts.spam == posts.count)
        let share = { (count: Int) in Double(count) / Double(posts.count) }
        #expect(abs(share(counts.ordinary) - 0.90) < 0.005)
        #expect(abs(share(counts.commands) - 0.05) < 0.005)
        #expect(abs(share(counts.spam) - 0.05) < 0.005)
        let bursts = posts.filter { $0.body["text"]?.string == "buy now 0" }.count
        #expect(bursts > 100)
    }
}
