import Foundation
import Synchronization

/// A serial executor backed by one dedicated thread.
///
/// Lua calls and hiredis calls block; running them on Swift's cooperative pool
/// would starve it. An actor whose `unownedExecutor` is one of these runs all
/// its work, and so every touch of its `lua_State` and `redisContext`, on a
/// thread of its own.
public final class ThreadExecutor: SerialExecutor, @unchecked Sendable {
    // @unchecked: the queue is only touched under `condition`'s lock.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var closures: [ClosureJob] = []
    private var head = 0
    private var stopping = false
    private var thread: Thread?

    /// Starts the thread.
    /// - Parameter name: shown in debuggers and crash reports (`warden-worker-0`).
    public init(name: String) {
        let thread = Thread { [unowned self] in
            Self.nameCurrentThread(name)
            self.runLoop()
        }
        thread.stackSize = 8 << 20  // deep Lua recursion stays within Lua's own limits, not ours
        self.thread = thread
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        condition.signal()
        condition.unlock()
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Runs a closure on the executor's thread (outside any actor), e.g. to create what an actor will own.
    public func run(_ work: @escaping @Sendable () -> Void) {
        let job = ClosureJob(work: work)
        condition.lock()
        closures.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Whether work is waiting to run (a job or a closure): idle-time work stops for it.
    public var hasWaitingWork: Bool {
        condition.lock()
        defer { condition.unlock() }
        return head < jobs.count || !closures.isEmpty
    }

    /// Whether the caller runs on this executor's thread.
    public var isCurrentThread: Bool {
        condition.lock()
        defer { condition.unlock() }
        return thread.map { Thread.current === $0 } ?? false
    }

    /// Names the calling thread as `top -H`, `perf` and gdb show it (15 bytes at most on Linux).
    ///
    /// Foundation's `Thread.name` does not reach the OS on Linux, and `pthread_setname_np` is not
    /// visible to Swift there; writing `comm` is what it does.
    static func nameCurrentThread(_ name: String) {
        #if os(Linux)
        try? String(name.utf8.prefix(15))?.write(
            toFile: "/proc/thread-self/comm",
            atomically: false,
            encoding: .utf8
        )
        #endif
    }

    /// Lets the thread finish the queued jobs and exit.
    public func shutdown() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func runLoop() {
        while true {
            condition.lock()
            while head == jobs.count && closures.isEmpty && !stopping { condition.wait() }
            if !closures.isEmpty {
                let pending = closures
                closures.removeAll()
                condition.unlock()
                for closure in pending { closure.work() }
                continue
            }
            if head == jobs.count && stopping {
                condition.unlock()
                return
            }
            let job = jobs[head]
            head += 1
            if head > 1024 && head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedSerialExecutor())
        }
    }
}

private struct ClosureJob {
    let work: @Sendable () -> Void
}
