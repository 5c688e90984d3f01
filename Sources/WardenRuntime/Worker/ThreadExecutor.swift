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
    /// Jobs and closures in one queue, run in the order they came: a closure queued after a job runs after it.
    private var queue: [Work] = []
    private var head = 0
    private var stopping = false
    private var thread: Thread?
    private let name: String

    /// Starts the thread.
    /// - Parameter name: shown in debuggers and crash reports (`warden-worker-0`).
    public init(name: String) {
        self.name = name
        let thread = Thread { [unowned self] in
            Self.nameCurrentThread(name)
            self.runLoop()
        }
        thread.stackSize = 8 << 20  // deep Lua recursion stays within Lua's own limits, not ours
        self.thread = thread
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        append(.job(UnownedJob(job)))
    }

    /// Lets an actor on this executor `assumeIsolated` in a closure given to `run(_:)`: the runtime asks this
    /// when the closure is not one of its jobs. The thread is the isolation: one closure or job at a time.
    public func checkIsolated() {
        precondition(isCurrentThread, "not on \(name)'s thread")
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Runs a closure on the executor's thread, in order with the jobs: to create what an actor will own, or
    /// to queue work for an actor at once (the closure `assumeIsolated`s it), behind what was queued before.
    public func run(_ work: @escaping @Sendable () -> Void) {
        append(.closure(work))
    }

    private func append(_ work: Work) {
        condition.lock()
        queue.append(work)
        condition.signal()
        condition.unlock()
    }

    /// Whether work is waiting to run (a job or a closure): idle-time work stops for it.
    public var hasWaitingWork: Bool { waitingCount > 0 }

    /// Jobs and closures queued and not started yet.
    var waitingCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return queue.count - head
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
            while head == queue.count && !stopping { condition.wait() }
            if head == queue.count && stopping {
                condition.unlock()
                return
            }
            // Taken out, not copied: a closure holds what it captured (a batch of updates) until released.
            let work = queue[head]
            queue[head] = .taken
            head += 1
            if head > 1024 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            condition.unlock()
            switch work {
            case .job(let job): job.runSynchronously(on: asUnownedSerialExecutor())
            case .closure(let closure): closure()
            case .taken: break
            }
        }
    }

    private enum Work {
        case job(UnownedJob)
        case closure(@Sendable () -> Void)
        case taken
    }
}
