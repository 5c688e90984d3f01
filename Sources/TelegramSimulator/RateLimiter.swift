/// Telegram's flood limits, as numbers; `telegram` holds the documented defaults.
public struct RateLimitSettings: Sendable, Hashable {
    /// Sending and moderation requests per second across all chats (Telegram: about 30).
    public var globalPerSecond: Double
    /// New messages per second in one chat, sustained (Telegram: about 1).
    public var perChatPerSecond: Double
    /// New messages one chat accepts at once before the per-second pace applies.
    public var perChatBurst: Double
    /// New messages per minute in one group or supergroup (Telegram: 20).
    public var perGroupPerMinute: Double

    /// Creates settings; the defaults are Telegram's.
    public init(
        globalPerSecond: Double = 30,
        perChatPerSecond: Double = 1,
        perChatBurst: Double = 3,
        perGroupPerMinute: Double = 20
    ) {
        self.globalPerSecond = globalPerSecond
        self.perChatPerSecond = perChatPerSecond
        self.perChatBurst = perChatBurst
        self.perGroupPerMinute = perGroupPerMinute
    }

    /// 30 requests/s overall, 1 message/s per chat with a burst of 3, 20 messages/min per group.
    public static let telegram = RateLimitSettings()
}

/// Which methods count toward which limit.
enum MethodClass {
    /// send*, forward*, copy* (but not sendChatAction): each creates messages in a chat.
    static func createsMessages(_ method: String) -> Bool {
        let name = method.lowercased()
        if name == "sendchataction" { return false }
        return name.hasPrefix("send") || name.hasPrefix("forward") || name.hasPrefix("copy")
    }

    /// Everything counted toward the global per-second limit: sending, editing and moderation.
    static func countsGlobally(_ method: String) -> Bool {
        let name = method.lowercased()
        return createsMessages(name) || name.hasPrefix("edit")
            || ["deletemessage", "deletemessages", "banchatmember", "restrictchatmember"].contains(name)
    }
}

/// A bucket that holds up to `capacity` tokens and refills at `rate` per second.
struct TokenBucket: Sendable, Hashable {
    let capacity: Double
    let rate: Double
    private(set) var tokens: Double
    private(set) var updated: Double

    init(capacity: Double, rate: Double, now: Double) {
        self.capacity = capacity
        self.rate = rate
        tokens = capacity
        updated = now
    }

    /// Seconds until `cost` tokens are available; 0 when they are now.
    func wait(for cost: Double, now: Double) -> Double {
        let available = min(capacity, tokens + max(0, now - updated) * rate)
        let needed = min(cost, capacity)
        return available >= needed ? 0 : (needed - available) / rate
    }

    mutating func take(_ cost: Double, now: Double) {
        tokens = min(capacity, tokens + max(0, now - updated) * rate) - min(cost, capacity)
        updated = now
    }
}

/// The three flood limits; a request is admitted only when every bucket it touches has room.
struct RateLimiter: Sendable {
    let settings: RateLimitSettings
    private var global: TokenBucket?
    private var chats: [Int64: TokenBucket] = [:]
    private var groups: [Int64: TokenBucket] = [:]

    init(settings: RateLimitSettings) { self.settings = settings }

    /// Admits the request and consumes its tokens, or returns the whole seconds to wait (`retry_after`).
    ///
    /// Nothing is consumed when a request is refused, so a client that honours `retry_after` gets through.
    mutating func admit(method: String, chatID: Int64?, isGroup: Bool, messages: Int, now: Double) -> Int? {
        guard MethodClass.countsGlobally(method) else { return nil }
        var globalBucket =
            global ?? TokenBucket(capacity: settings.globalPerSecond, rate: settings.globalPerSecond, now: now)
        var wait = globalBucket.wait(for: 1, now: now)
        let counted = MethodClass.createsMessages(method) ? chatID : nil
        var chatBucket: TokenBucket?
        var groupBucket: TokenBucket?
        let cost = Double(max(messages, 1))
        if let chat = counted {
            let bucket =
                chats[chat] ?? TokenBucket(capacity: settings.perChatBurst, rate: settings.perChatPerSecond, now: now)
            wait = max(wait, bucket.wait(for: cost, now: now))
            chatBucket = bucket
            if isGroup {
                let perMinute = settings.perGroupPerMinute
                let group = groups[chat] ?? TokenBucket(capacity: perMinute, rate: perMinute / 60, now: now)
                wait = max(wait, group.wait(for: cost, now: now))
                groupBucket = group
            }
        }
        if wait > 0 { return max(1, Int(wait.rounded(.up))) }
        globalBucket.take(1, now: now)
        global = globalBucket
        if let chat = counted, var bucket = chatBucket {
            bucket.take(cost, now: now)
            chats[chat] = bucket
            if var group = groupBucket {
                group.take(cost, now: now)
                groups[chat] = group
            }
        }
        return nil
    }
}
