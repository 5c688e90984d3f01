import Foundation
import Testing

@testable import WardenRuntime

@Suite struct ThreadExecutorTests {
    /// An actor on the executor, as a worker is.
    actor Log {
        private let executor: ThreadExecutor
        nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
        private(set) var entries: [String] = []

        init(executor: ThreadExecutor) { self.executor = executor }

        func add(_ entry: String) { entries.append(entry) }

        /// Queued now, run in turn: what `Worker.submit` does with a batch.
        nonisolated func submit(_ entry: String) -> OneShot<Int> {
            let answer = OneShot<Int>()
            executor.run { [self] in
                answer.fulfill(
                    assumeIsolated { log in
                        log.add(entry)
                        return log.entries.count
                    }
                )
            }
            return answer
        }
    }

    @Test func closuresAndJobsRunInTheOrderTheyWereQueued() async throws {
        let executor = ThreadExecutor(name: "warden-test-fifo")
        defer { executor.shutdown() }
        let log = Log(executor: executor)
        // Held on the thread, so everything below queues up behind it.
        let gate = DispatchSemaphore(value: 0)
        let held = OneShot<Void>()
        executor.run {
            held.fulfill(())
            gate.wait()
        }
        await held.value
        let first = log.submit("closure 1")
        let job = Task { await log.add("job") }
        // The job is queued once its task has reached the actor: only then the next closure.
        while executor.waitingCount < 2 { try await Task.sleep(for: .milliseconds(1)) }
        let second = log.submit("closure 2")
        gate.signal()
        #expect(await first.value == 1)
        await job.value
        #expect(await second.value == 3)
        #expect(await log.entries == ["closure 1", "job", "closure 2"])
    }

    @Test func aClosureIsReleasedOnceItHasRun() async throws {
        final class Payload: Sendable {}
        let executor = ThreadExecutor(name: "warden-test-free")
        defer { executor.shutdown() }
        let done = OneShot<Void>()
        weak var watched: Payload?
        do {
            let payload = Payload()
            watched = payload
            executor.run {
                _ = payload
                done.fulfill(())
            }
        }
        await done.value
        // The queue keeps its slots until a thousand have run: what they captured (a batch) must not wait as long.
        let deadline = ContinuousClock.now + .seconds(5)
        while watched != nil && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(watched == nil)
    }
}
