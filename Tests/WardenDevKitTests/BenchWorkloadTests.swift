import Testing

@testable import TelegramSimulator
@testable import WardenDevKit

/// The bench's traffic is the mix issue 6 names, counted in updates: 90% ordinary, 5% commands, 5% spam
/// and floods.
struct BenchWorkloadTests {
    /// Groups -1…-N, users 1…M, and each group's owner above them.
    static func world(groups: Int, users: Int) -> TelegramSimulator.BenchWorld {
        TelegramSimulator.BenchWorld(
            groupIDs: (1...groups).map { -Int64($0) },
            userIDs: (1...users).map { Int64($0) },
            ownerIDs: (1...groups).map { Int64(users + $0) },
            members: []
        )
    }

    @Test func mixIsNinetyFiveFiveInUpdates() {
        var workload = BenchWorkload(world: Self.world(groups: 10, users: 100), seed: 7)
        let (posts, counts) = workload.posts(count: 100_000, now: 1_700_000_000)
        #expect(posts.count == 100_000)
        #expect(counts.ordinary + counts.commands + counts.spam == posts.count)
        let share = { (count: Int) in Double(count) / Double(posts.count) }
        #expect(abs(share(counts.ordinary) - 0.90) < 0.005)
        #expect(abs(share(counts.commands) - 0.05) < 0.005)
        #expect(abs(share(counts.spam) - 0.05) < 0.005)
        let bursts = posts.filter { $0.text == "buy now 0" }.count
        #expect(bursts > 100)
    }

    /// Ordinary chat is not a flood: at the bench's default size, an ordinary message is a user's sixth within
    /// 5 s (flood's default limit) only right after that user's flood burst, up to 100,000 updates and beyond.
    @Test(arguments: [20_000, 50_000, 100_000, 200_000])
    func ordinaryMessagesAreNotFloods(count: Int) {
        var workload = BenchWorkload(world: Self.world(groups: 1_000, users: 10_000), seed: 42)
        let (posts, counts) = workload.posts(count: count, now: 1_700_000_000)
        var dates: [Int64: [Int64]] = [:]
        var burstAt: [Int64: Int64] = [:]
        var flooding = 0
        for post in posts {
            if post.text.hasPrefix("buy now") { burstAt[post.from] = post.date }
            let previous = dates[post.from, default: []]
            let ordinary = BenchWorkload.chatter.contains(post.text)
            let afterBurst = burstAt[post.from].map { post.date - $0 < 5 } ?? false
            if ordinary, !afterBurst, previous.count >= 5, post.date - previous[previous.count - 5] < 5 {
                flooding += 1
            }
            dates[post.from, default: []].append(post.date)
        }
        #expect(flooding == 0)
        #expect(counts.ordinary > 0)
    }
}
