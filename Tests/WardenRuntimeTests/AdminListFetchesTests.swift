import Foundation
import Synchronization
import Testing

@testable import WardenRuntime

/// Admin lists fetched off the worker's thread: one call per chat, a pace for calls in the background, and
/// nothing fetched before an admin change overwrites it. Nothing here depends on how soon a task runs: the
/// test process may be busy.
@Suite struct AdminListFetchesTests {
    /// Answers each chat with its creator (id = -chat id) after a delay; counts calls and the most at once.
    final class SlowDirectory: AdminDirectory {
        struct Counts {
            var calls: [Int64] = []
            var running = 0
            var mostAtOnce = 0
        }
        let counts = Mutex(Counts())
        let delay: @Sendable (Int64) -> Duration
        init(delay: @escaping @Sendable (Int64) -> Duration = { _ in .milliseconds(5) }) { self.delay = delay }

        var calls: [Int64] { counts.withLock { $0.calls } }

        func administrators(of chatID: Int64) async -> [(userID: Int64, status: String)]? {
            counts.withLock {
                $0.calls.append(chatID)
                $0.running += 1
                $0.mostAtOnce = max($0.mostAtOnce, $0.running)
            }
            try? await Task.sleep(for: delay(chatID))
            counts.withLock { $0.running -= 1 }
            return chatID == -13 ? nil : [(-chatID, "creator")]
        }
    }

    /// A lookup blocks its caller, as it does a worker: it runs on a thread of its own, never the test's.
    static func lookup(_ fetches: AdminListFetches, _ chatID: Int64) async -> [Int64]? {
        await withCheckedContinuation { done in
            Thread { done.resume(returning: fetches.administrators(of: chatID, timeout: .seconds(60))?.map(\.userID)) }
                .start()
        }
    }

    static func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test func aLookupWaitsForTheFetchUnderWayInsteadOfCallingAgain() async throws {
        let directory = SlowDirectory { _ in .milliseconds(50) }
        let fetches = AdminListFetches(directory: directory)
        fetches.start(-1)
        fetches.start(-1)
        #expect(await Self.lookup(fetches, -1) == [1])
        #expect(directory.calls == [-1])
        // Asked for, so not handed out again to be cached.
        try await Self.waitUntil { fetches.isIdle }
        #expect(fetches.takeFetched().isEmpty)
    }

    @Test func aLookupAfterAFailedBackgroundFetchCallsAgain() async throws {
        let directory = SlowDirectory()
        let fetches = AdminListFetches(directory: directory)
        fetches.start(-13)  // Telegram does not answer for -13
        try await Self.waitUntil { fetches.isIdle }
        #expect(await Self.lookup(fetches, -13) == nil)
        #expect(directory.calls == [-13, -13])
    }

    @Test func backgroundListsAreHandedOutOnceAndFailuresDropped() async throws {
        let directory = SlowDirectory()
        let fetches = AdminListFetches(directory: directory, concurrency: 2)
        for chat in [-11, -12, -13, -14, -15] as [Int64] { fetches.start(chat) }
        try await Self.waitUntil { fetches.isIdle }
        let fetched = fetches.takeFetched().sorted { $0.chatID > $1.chatID }
        #expect(fetched.map(\.chatID) == [-11, -12, -14, -15])
        #expect(fetched.map { $0.admins.map(\.userID) } == [[11], [12], [14], [15]])
        #expect(fetches.takeFetched().isEmpty)
        #expect(directory.counts.withLock { $0.mostAtOnce } <= 2)
        #expect(directory.calls.count == 5)
    }

    @Test func backgroundCallsArePacedAndANeededListGoesAtOnce() async throws {
        let directory = SlowDirectory()
        // A burst of two, then one call every 100 s: the rest wait.
        let fetches = AdminListFetches(directory: directory, perSecond: 0.01, burst: 2)
        for chat in [-41, -42, -43, -44, -45] as [Int64] { fetches.start(chat) }
        #expect(fetches.queuedCount == 3)
        var taken = 0
        try await Self.waitUntil {
            taken += fetches.takeFetched().count
            return taken == 2
        }
        fetches.resume()
        #expect(fetches.queuedCount == 3)
        #expect(directory.calls.count == 2)
        #expect(await Self.lookup(fetches, -43) == [43])
        #expect(fetches.queuedCount == 2)
        #expect(directory.calls.count == 3)
    }

    @Test func theAllowanceRefillsWithTime() async throws {
        let directory = SlowDirectory()
        let fetches = AdminListFetches(directory: directory, perSecond: 100, burst: 1)
        for chat in [-51, -52, -53] as [Int64] { fetches.start(chat) }
        #expect(fetches.queuedCount == 2)
        // Each batch (here: `resume`) starts what the time since allows.
        try await Self.waitUntil {
            fetches.resume()
            return directory.calls.count == 3 && fetches.isIdle
        }
        #expect(Set(fetches.takeFetched().map(\.chatID)) == [-51, -52, -53])
    }

    @Test func aQueuedChatAskedForGoesAtOnce() async throws {
        // The first call hangs on: the second chat, needed now, must not wait for it.
        let directory = SlowDirectory { $0 == -21 ? .seconds(120) : .milliseconds(5) }
        let fetches = AdminListFetches(directory: directory, concurrency: 1)
        fetches.start(-21)
        fetches.start(-22)
        #expect(fetches.queuedCount == 1)
        #expect(await Self.lookup(fetches, -22) == [22])
        #expect(fetches.queuedCount == 0)
    }

    @Test func anAdminChangeDropsTheListFetchedBeforeIt() async throws {
        let fetches = AdminListFetches(directory: SlowDirectory(), concurrency: 1)
        fetches.start(-31)
        fetches.start(-32)
        fetches.forget(-31)  // under way
        fetches.forget(-32)  // queued: never called
        #expect(fetches.queuedCount == 0)
        try await Self.waitUntil { fetches.isIdle }
        #expect(fetches.takeFetched().isEmpty)
    }
}
