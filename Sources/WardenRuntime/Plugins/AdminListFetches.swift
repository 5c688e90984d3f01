import Dispatch
import Synchronization

/// One worker's `getChatAdministrators` calls, made off its thread. A worker starts one when a batch brings a
/// group whose cached admin list is missing, or one about to expire, so that the role lookup of a command
/// that follows finds the list fetched, or waits only for the rest of a fetch under way, instead of holding
/// up every chat of the shard for a whole call to Telegram.
///
/// Lists fetched and not yet asked for are handed to the worker (`takeFetched`) to write to the cache.
/// Background calls are paced, `perSecond` a second and `concurrency` at once, so a restart that brings a
/// thousand groups at once does not turn into a thousand calls at once; the other chats wait their turn (up
/// to `maxQueued`), and a lookup that needs a waiting chat's list calls for it at once.
final class AdminListFetches: Sendable {
    typealias Admins = [(userID: Int64, status: String)]

    private final class Fetch: Sendable {
        let done = DispatchSemaphore(value: 0)
        /// nil while under way; `.some(nil)` when Telegram did not answer.
        let result = Mutex<Admins??>(nil)

        var failed: Bool {
            result.withLock { result in
                if case .some(.none) = result { return true }
                return false
            }
        }
    }

    private struct State {
        var fetches: [Int64: Fetch] = [:]
        /// Chats waiting for a free call, taken from the end: the group seen last goes first.
        var queued: [Int64] = []
        /// Chats whose background fetch ended and that nobody asked for yet.
        var ended: [Int64] = []
        var running = 0
        /// Background calls that may start now.
        var pace: RateBucket
    }

    private let directory: any AdminDirectory
    private let concurrency: Int
    private let maxQueued: Int
    private let state: Mutex<State>
    /// The pace's clock starts here.
    private let epoch = ContinuousClock.now

    /// - Parameters:
    ///   - perSecond: background calls a second, at most `burst` (default: as many) at once after a pause.
    init(
        directory: any AdminDirectory,
        perSecond: Double = 10,
        burst: Double? = nil,
        concurrency: Int = 4,
        maxQueued: Int = 10_000
    ) {
        self.directory = directory
        self.concurrency = concurrency
        self.maxQueued = maxQueued
        state = Mutex(State(pace: RateBucket(rate: perSecond, burst: burst ?? perSecond)))
    }

    /// Fetches the chat's admins in the background, unless a fetch for it is under way or waiting.
    func start(_ chatID: Int64) {
        let launch = state.withLock { state -> [(Int64, Fetch)] in
            guard state.fetches[chatID] == nil, state.queued.count < maxQueued else { return [] }
            state.fetches[chatID] = Fetch()
            state.queued.append(chatID)
            return due(&state)
        }
        for (chatID, fetch) in launch { run(fetch, for: chatID) }
    }

    /// Starts the waiting calls the pace allows now; the worker calls it with every batch.
    func resume() {
        for (chatID, fetch) in state.withLock({ due(&$0) }) { run(fetch, for: chatID) }
    }

    private func due(_ state: inout State) -> [(Int64, Fetch)] {
        let now = (ContinuousClock.now - epoch).seconds
        var launch: [(Int64, Fetch)] = []
        while state.running < concurrency, state.pace.hasToken(at: now), let chatID = state.queued.popLast() {
            guard let fetch = state.fetches[chatID] else { continue }
            state.pace.take(at: now)
            state.running += 1
            launch.append((chatID, fetch))
        }
        return launch
    }

    /// The chat's admins: a list fetched in the background, or the one under way (waited for), or a call made
    /// now. nil when Telegram did not answer within `timeout`.
    func administrators(of chatID: Int64, timeout: DispatchTimeInterval = .seconds(5)) -> Admins? {
        let (fetch, launch) = state.withLock { state -> (Fetch, Bool) in
            // A background fetch that failed is no answer: this lookup calls again.
            guard let fetch = state.fetches[chatID], !fetch.failed else {
                let fetch = Fetch()
                state.fetches[chatID] = fetch
                state.running += 1
                return (fetch, true)
            }
            // A queued chat goes now, over the limit: the worker is waiting for it.
            guard let index = state.queued.lastIndex(of: chatID) else { return (fetch, false) }
            state.queued.remove(at: index)
            state.running += 1
            return (fetch, true)
        }
        if launch { run(fetch, for: chatID) }
        let answered = fetch.done.wait(timeout: .now() + timeout) == .success
        state.withLock { state in
            if state.fetches[chatID] === fetch { state.fetches[chatID] = nil }
        }
        guard answered else { return nil }
        return fetch.result.withLock { $0 ?? nil }
    }

    /// Lists fetched in the background and not asked for, to be written to the cache; failed fetches are
    /// dropped (the next lookup tries again).
    func takeFetched() -> [(chatID: Int64, admins: Admins)] {
        state.withLock { state in
            var fetched: [(chatID: Int64, admins: Admins)] = []
            for chatID in state.ended {
                guard let fetch = state.fetches.removeValue(forKey: chatID) else { continue }
                if let admins = fetch.result.withLock({ $0 ?? nil }) { fetched.append((chatID, admins)) }
            }
            state.ended.removeAll()
            return fetched
        }
    }

    /// Drops what is known or under way for the chat: its admins changed since (a `chat_member` update), so a
    /// list fetched before must not overwrite the change.
    func forget(_ chatID: Int64) {
        state.withLock { state in
            state.fetches[chatID] = nil
            state.queued.removeAll { $0 == chatID }
        }
    }

    /// Whether anything is under way or waiting (tests).
    var isIdle: Bool { state.withLock { $0.running == 0 && $0.queued.isEmpty } }
    /// Chats waiting for the pace (tests).
    var queuedCount: Int { state.withLock { $0.queued.count } }

    private func run(_ fetch: Fetch, for chatID: Int64) {
        Task { [directory] in
            let admins = await directory.administrators(of: chatID)
            fetch.result.withLock { $0 = .some(admins) }
            fetch.done.signal()
            ended(fetch, for: chatID)
        }
    }

    /// A call ended: its list waits to be taken, and a waiting chat may take its place.
    private func ended(_ fetch: Fetch, for chatID: Int64) {
        let launch = state.withLock { state -> [(Int64, Fetch)] in
            if state.fetches[chatID] === fetch { state.ended.append(chatID) }
            state.running -= 1
            return due(&state)
        }
        for (chatID, fetch) in launch { run(fetch, for: chatID) }
    }
}
