import Foundation
import Logging
import LuaHost
import RedisStore
import Synchronization
import WardenJSON

/// Everything the host functions need while plugins run on one worker: the
/// worker's Redis connection, the action sink, roles, and what is being handled now.
///
/// Owned by one worker and only touched on its thread (like the Lua state).
final class HostContext {
    let logger: Logger
    let sink: any ActionSink
    let roles: RoleResolver
    let keys: RuntimeKeys
    /// `reload_plugins()` asks every worker to reload its plugin files.
    let reload: ReloadSignal
    let pluginDirectory: String
    var redis: RedisConnection?
    /// Replies of rarely-written keys, shared by the workers (nil: every read goes to Redis).
    let readCache: RedisReadCache?

    /// The update being handled, for actions and compat calls that imply "this chat".
    var currentUpdateID: Int64?
    var currentChatID: Int64?
    /// Roles looked up while handling the current update.
    var roleCache: [RoleKey: Role] = [:]

    /// Callbacks of actions in flight, by action id.
    var pendingCallbacks: [UInt64: PendingCallback] = [:]
    /// Results that arrived from other threads, in arrival order, waiting for the worker.
    let completions = CompletionQueue()
    /// What `after(seconds, fn)` set, waiting for its time.
    var timers = PluginTimers()
    /// This worker's chats (`shard.owns`).
    let shard: Shard
    /// Seconds since 1970 now.
    let clock: @Sendable () -> Double

    /// Actions asked for while an update is handled, when they wait for it to be journaled (nil: sent at once).
    private var held: [ActionJournal.Held]?
    /// Told (plugin, why) when an action is refused before it is sent (the host tells the sudo users).
    var onRefusedAction: ((_ plugin: String, _ reason: String) -> Void)?

    /// The most bytes of text one action's parameters may hold: far above any Bot API limit (a message is
    /// 4096 characters), low enough that a plugin returning a 50 MB string fills neither the journal nor the outbox.
    static let maximumParameterBytes = 1 << 20

    /// A plugin callback waiting for its action's result, with the update it came from.
    struct PendingCallback {
        var callback: LuaRef
        var plugin: String
        var updateID: Int64?
        var chatID: Int64?
    }

    struct RoleKey: Hashable {
        var chatID: Int64
        var userID: Int64
        var senderChatID: Int64?
    }

    init(
        logger: Logger,
        sink: any ActionSink,
        roles: RoleResolver,
        keys: RuntimeKeys,
        pluginDirectory: String,
        redis: RedisConnection?,
        readCache: RedisReadCache? = nil,
        reload: ReloadSignal = ReloadSignal(),
        shard: Shard = .single,
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.shard = shard
        self.clock = clock
        self.readCache = readCache
        self.reload = reload
        self.logger = logger
        self.sink = sink
        self.roles = roles
        self.keys = keys
        self.pluginDirectory = pluginDirectory
        self.redis = redis
    }

    /// Sends commands (names lowercased) in one pipeline, through the read cache when there is one.
    func send(_ commands: [[[UInt8]]]) throws(RedisError) -> [RedisReply] {
        guard let redis else { throw .closed }
        guard let readCache else { return try redis.pipeline(commands) }
        return try readCache.send(commands, on: redis)
    }

    /// ``send(_:)`` for commands written as strings (names lowercased too).
    func send(_ commands: [[String]]) throws(RedisError) -> [RedisReply] {
        try send(commands.map { $0.map { Array($0.utf8) } })
    }

    /// ``RedisReadCache/stamp``: nil without a live cache.
    var cacheStamp: UInt64? { readCache?.stamp }

    /// ``RedisReadCache/stamp(of:)``: nil without a live cache.
    func cacheStamp(of keys: [[UInt8]]) -> UInt64? { readCache?.stamp(of: keys) }

    /// Starts handling an update: later host calls attribute actions to it.
    /// - Parameter holdActions: keep its actions until `takeHeldActions()` instead of sending them at once.
    func begin(updateID: Int64?, chatID: Int64?, holdActions: Bool = false) {
        currentUpdateID = updateID
        currentChatID = chatID
        roleCache.removeAll(keepingCapacity: true)
        held = holdActions ? [] : nil
    }

    /// The actions held since `begin`; later ones are sent at once.
    func takeHeldActions() -> [ActionJournal.Held] {
        defer { held = nil }
        return held ?? []
    }

    /// Forgets held actions that will never be sent; returns their callbacks for the caller to release.
    func discard(_ held: [ActionJournal.Held]) -> [LuaRef] {
        held.compactMap { pendingCallbacks.removeValue(forKey: $0.action.id)?.callback }
    }

    func role(chatID: Int64, userID: Int64, senderChatID: Int64?) -> Role {
        let key = RoleKey(chatID: chatID, userID: userID, senderChatID: senderChatID)
        if let cached = roleCache[key] { return cached }
        let role = roles.role(
            chatID: chatID,
            userID: userID,
            senderChatID: senderChatID,
            now: clock(),
            send: redis == nil ? nil : { commands throws(RedisError) in try self.send(commands) },
            logger: logger
        )
        roleCache[key] = role
        return role
    }

    /// Sends an action to the sink; its result comes back through `completions`.
    func submit(method: String, params: [String: JSONValue], plugin: String, callback: LuaRef?) {
        let id = BotAction.nextID()
        if let size = Self.textBytes(in: .object(params), over: Self.maximumParameterBytes) {
            refuse(method: method, plugin: plugin, size: size, id: id, callback: callback)
            return
        }
        let action = BotAction(id: id, method: method, params: params, plugin: plugin, updateID: currentUpdateID)
        var completion: (@Sendable (ActionResult) -> Void)?
        if let callback {
            pendingCallbacks[id] = PendingCallback(
                callback: callback,
                plugin: plugin,
                updateID: currentUpdateID,
                chatID: currentChatID
            )
            let completions = self.completions
            completion = { result in completions.append(id: id, result: result) }
        }
        if held != nil {
            held!.append(ActionJournal.Held(action: action, completion: completion))
        } else {
            sink.submit(action, completion: completion)
        }
    }
}

extension HostContext {
    /// The bytes of text (strings and keys) in a value, once they pass `limit`; nil while they stay within it.
    static func textBytes(in value: JSONValue, over limit: Int) -> Int? {
        var total = 0
        var pending = [value]
        while let next = pending.popLast() {
            switch next {
            case .string(let text): total += text.utf8.count
            case .array(let items): pending += items
            case .object(let fields):
                for (key, item) in fields {
                    total += key.utf8.count
                    pending.append(item)
                }
            default: total += 8
            }
            if total > limit { return total }
        }
        return nil
    }

    /// Drops an oversized action as Telegram would refuse it: logged, and its callback told `(false, {…})`.
    private func refuse(method: String, plugin: String, size: Int, id: UInt64, callback: LuaRef?) {
        let reason = "\(method) refused: its parameters hold more than \(Self.maximumParameterBytes >> 20) MiB of text"
        logger.error(
            "action refused",
            metadata: [
                "plugin.name": "\(plugin)", "method": "\(method)", "reason": "parameters too large (\(size) bytes)",
            ]
        )
        onRefusedAction?(plugin, reason)
        guard let callback else { return }
        pendingCallbacks[id] = PendingCallback(
            callback: callback,
            plugin: plugin,
            updateID: currentUpdateID,
            chatID: currentChatID
        )
        completions.append(
            id: id,
            result: .failure(ActionFailure(errorCode: 400, description: "Bad Request: \(reason)"))
        )
    }
}

/// Action results on their way back to the worker that owns the callbacks.
final class CompletionQueue: Sendable {
    private let queued = Mutex<[(id: UInt64, result: ActionResult)]>([])
    private let listener = Mutex<(@Sendable () -> Void)?>(nil)

    /// Called (from any thread) after each append, so the owner drains the queue.
    func setListener(_ listener: (@Sendable () -> Void)?) {
        self.listener.withLock { $0 = listener }
    }

    func append(id: UInt64, result: ActionResult) {
        queued.withLock { $0.append((id, result)) }
        listener.withLock { $0 }?()
    }

    /// Takes the queued results, oldest first.
    func takeAll() -> [(id: UInt64, result: ActionResult)] {
        queued.withLock { items in
            defer { items.removeAll() }
            return items
        }
    }

    var isEmpty: Bool { queued.withLock { $0.isEmpty } }
}
