import LuaHost

/// Functions plugins asked to run later (`after(seconds, fn)`), kept by the worker that was running
/// the plugin, so a timer set while handling a chat runs in order with that chat's updates.
///
/// In memory only: a restart forgets them. A deadline that must survive one goes to Redis, for a
/// `cron` to find (as captcha's do).
struct PluginTimers {
    struct Timer {
        var due: Double
        var sequence: UInt64
        var plugin: String
        /// The chat being handled when it was set: compat calls that mean "this chat" keep meaning it.
        var chatID: Int64?
        var callback: LuaRef
    }

    /// Timers one worker holds at most: a plugin setting one per message cannot grow memory without end.
    static let limit = 10_000
    /// The longest delay: anything longer belongs in Redis.
    static let longestDelay: Double = 86_400

    /// Soonest first; equal times in the order they were set.
    private(set) var pending: [Timer] = []
    private var nextSequence: UInt64 = 0

    var nextDue: Double? { pending.first?.due }

    /// Adds a timer, or says why not. The caller keeps (retains) the callback only when it was added.
    mutating func add(after seconds: Double, now: Double, plugin: String, chatID: Int64?, callback: LuaRef) -> String? {
        guard seconds.isFinite, seconds >= 0, seconds <= Self.longestDelay else {
            return "after: seconds must be between 0 and \(Int(Self.longestDelay))"
        }
        guard pending.count < Self.limit else { return "after: \(Self.limit) timers are already waiting" }
        let timer = Timer(
            due: now + seconds,
            sequence: nextSequence,
            plugin: plugin,
            chatID: chatID,
            callback: callback
        )
        nextSequence += 1
        // Binary search for the first timer due later: equal times keep their order.
        var low = 0
        var high = pending.count
        while low < high {
            let middle = (low + high) / 2
            if pending[middle].due <= timer.due { low = middle + 1 } else { high = middle }
        }
        pending.insert(timer, at: low)
        return nil
    }

    /// Removes and returns the timers due by `now`, soonest first.
    mutating func takeDue(now: Double) -> [Timer] {
        let count = pending.prefix { $0.due <= now }.count
        defer { pending.removeFirst(count) }
        return Array(pending.prefix(count))
    }
}
