import Foundation
import Logging
import RedisStore
import Synchronization

/// Keeps a ``RedisReadCache`` honest: a thread of its own subscribes to the keyspace notifications of
/// the cached keys and drops a key's replies when Redis reports it changed (`hset`, `del`, `expired`,
/// `rename_to`, …), whoever changed it.
///
/// The cache is live only while the subscription is: on a broken connection it goes dark (every read
/// goes to Redis) until the watcher has reconnected and subscribed again, so a notification missed
/// in between cannot leave a stale reply behind. Notifications are turned on with `CONFIG SET
/// notify-keyspace-events` (adding to what the server already had); a server that refuses `CONFIG`
/// leaves the cache off, with a warning.
final class KeyspaceWatcher: Sendable {
    private let url: RedisURL
    private let cache: RedisReadCache
    private let logger: Logger
    private let stopped = Atomic(false)
    private let finished = Mutex<CheckedContinuation<Void, Never>?>(nil)
    private let done = Atomic(false)
    private let subscribed = Atomic(0)
    /// Barrier tokens seen on `syncChannel`, and who waits for one not seen yet.
    private let barriers = Mutex(Barriers())

    private struct Barriers {
        var seen: [String] = []
        var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]
    }

    init(url: RedisURL, cache: RedisReadCache, logger: Logger) {
        self.url = url
        self.cache = cache
        self.logger = logger
    }

    /// Starts the thread; the cache turns live once the subscription is confirmed.
    func start() {
        let thread = Thread { [self] in
            ThreadExecutor.nameCurrentThread("warden-keyspace")
            run()
            done.store(true, ordering: .sequentiallyConsistent)
            finished.withLock { $0.take() }?.resume()
        }
        thread.start()
    }

    /// Stops the thread (within a poll interval) and turns the cache off.
    func stop() async {
        stopped.store(true, ordering: .sequentiallyConsistent)
        await withCheckedContinuation { continuation in
            let resumeNow = finished.withLock { waiting -> Bool in
                if done.load(ordering: .sequentiallyConsistent) { return true }
                waiting = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Successful subscriptions so far; more than one means it reconnected.
    var subscriptions: Int { subscribed.load(ordering: .sequentiallyConsistent) }

    private var isStopped: Bool { stopped.load(ordering: .relaxed) }

    private func run() {
        var failures = 0
        while !isStopped {
            do {
                let connection = try RedisConnection(url: url)
                defer { connection.close() }
                try Self.enableNotifications(connection)
                try connection.psubscribe(patterns + [syncPattern])
                cache.setLive(true)
                subscribed.add(1, ordering: .sequentiallyConsistent)
                logger.info("read cache live", metadata: ["patterns": "\(patterns.count)"])
                failures = 0
                while !isStopped {
                    guard let message = try connection.nextMessage(timeout: .milliseconds(200)) else { continue }
                    if message.pattern == syncPattern {
                        passBarrier(String(decoding: message.payload, as: UTF8.self))
                    } else if let key = Self.key(ofChannel: message.channel) {
                        cache.invalidate(key: key)
                    }
                }
            } catch {
                cache.setLive(false)
                failures += 1
                let level: Logger.Level = failures == 1 ? .warning : .debug
                logger.log(
                    level: level,
                    "read cache off: every read goes to Redis until keyspace notifications are back",
                    metadata: ["error": "\(error)", "attempt": "\(failures)"]
                )
                pause(seconds: min(30, 0.25 * Double(1 << min(failures, 7))))
            }
        }
        cache.setLive(false)
    }

    private func pause(seconds: Double) {
        let end = Date().addingTimeInterval(seconds)
        while !isStopped && Date() < end { Thread.sleep(forTimeInterval: 0.05) }
    }

    /// One pattern per cached kind and key form: `<prefix><kind>`, `<prefix>{chat:*}:<kind>`, and each with
    /// `:*` after it, so Redis sends nothing for the keys written on every message.
    var patterns: [String] {
        let channel = "__keyspace@\(url.database)__:" + RedisGlob.escape(String(decoding: cache.prefix, as: UTF8.self))
        return cache.kinds.map { String(decoding: $0, as: UTF8.self) }.sorted().flatMap { kind in
            let kind = RedisGlob.escape(kind)
            return [kind, kind + ":*", "{chat:*}:" + kind, "{chat:*}:" + kind + ":*"].map { channel + $0 }
        }
    }

    /// A channel (not a key) to `PUBLISH` a token on: once the watcher has seen it, it has handled every
    /// notification Redis sent before, so a test that wrote a key can wait until the cache forgot it.
    var syncChannel: String { String(decoding: cache.prefix, as: UTF8.self) + "cache_sync" }
    private var syncPattern: String { RedisGlob.escape(syncChannel) }

    /// Returns once `token` was published on ``syncChannel`` and seen, or after `timeout`.
    func barrier(_ token: String, timeout: Duration = .seconds(2)) async {
        // Not live: nothing is cached, and the token may have gone out before the subscription.
        guard cache.isLive else { return }
        let waiter = Task {
            await withCheckedContinuation { continuation in
                let seen = barriers.withLock { state -> Bool in
                    if state.seen.contains(token) { return true }
                    state.waiting[token, default: []].append(continuation)
                    return false
                }
                if seen { continuation.resume() }
            }
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            passBarrier(token)  // gives up waiting: the cache was not live, or the token was lost
        }
        await waiter.value
        timer.cancel()
    }

    private func passBarrier(_ token: String) {
        let waiting = barriers.withLock { state in
            state.seen.append(token)
            if state.seen.count > 64 { state.seen.removeFirst() }
            return state.waiting.removeValue(forKey: token) ?? []
        }
        for continuation in waiting { continuation.resume() }
    }

    /// `__keyspace@0__:<key>` → `<key>`.
    static func key(ofChannel channel: [UInt8]) -> [UInt8]? {
        let marker = Array("__:".utf8)
        guard let start = channel.firstRange(of: marker) else { return nil }
        return Array(channel[start.upperBound...])
    }

    /// Adds K (keyspace events) and the generic, string, hash, set, expired and evicted classes to the
    /// server's `notify-keyspace-events`, keeping whatever it had.
    static func enableNotifications(_ connection: RedisConnection) throws(RedisError) {
        let reply = try connection.call("CONFIG", "GET", "notify-keyspace-events")
        let current = reply.array?.last?.string ?? ""
        var flags = current
        let wanted = current.contains("A") ? "K" : "Kg$hsxe"
        for flag in wanted where !flags.contains(flag) { flags.append(flag) }
        if flags != current { _ = try connection.call("CONFIG", "SET", "notify-keyspace-events", flags) }
    }
}
