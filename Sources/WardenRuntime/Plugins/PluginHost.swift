import Foundation
public import Logging
public import LuaHost
public import RedisStore
import WardenJSON

/// One worker's plugins: a Lua state with its sandbox and host API, the plugins
/// in dispatch order, and their pattern index.
///
/// Single owner: the worker's thread creates it and is the only one to touch it.
public final class PluginHost {
    /// What the host needs to know that is not in a plugin file.
    public struct Options: Sendable {
        public var config: WardenConfig
        /// The bot's own user id and username (from `getMe`, or config offline).
        public var botID: Int64
        public var botUsername: String?
        public var botFirstName = "Warden"
        /// Updates dated before this (seconds since 1970) minus `config.oldUpdateAge` are old.
        public var startedAt: Double = Date().timeIntervalSince1970
        /// Fills the admin cache from Telegram (nil offline: admins come from `chat_member` updates only).
        public var adminDirectory: (any AdminDirectory)?
        /// Shared by every worker of one bot, so `/reload` in one reloads all.
        public var reload = ReloadSignal()
        /// Where counts and timings go (`/metrics`); nil in tools and most tests.
        public var metrics: WardenMetrics?
        /// Keeps each update's actions in Redis until Telegram answers them; nil in tools and most tests.
        public var journal: ActionJournal?
        /// Receives each update's time from batch arrival to handled (`warden bench`); nil otherwise.
        public var latency: LatencyRecorder?
        /// Replies of rarely-written keys shared by the workers (nil: every read goes to Redis).
        var readCache: RedisReadCache?
        /// Seconds between two notices to the sudo users about errors of one plugin (later ones are counted).
        public var pluginErrorNoticeInterval: Double = 600
        /// The chats of this host's worker.
        public var shard = Shard.single
        /// Seconds since 1970 now (tests move it to see notices resume, timers fire).
        public var clock: @Sendable () -> Double = { Date().timeIntervalSince1970 }

        public init(config: WardenConfig) {
            self.config = config
            botID = config.botID
            botUsername = config.botUsername
        }
    }

    let options: Options
    let lua: LuaState
    let sandbox: LuaSandbox
    let context: HostContext
    let logger: Logger
    let makeAPI: LuaRef
    /// The prelude's count of reads answered from its copies of the read cache (nil: no read cache).
    let copyAnswers: LuaRef?
    /// What every `msg` table gets as its metatable (`msg.to`, built when read; Prelude's `message_meta`).
    let messageMeta: LuaRef?
    let stringMatch: LuaRef

    /// Loaded plugins, in dispatch order.
    var plugins: [Plugin] = []
    /// Every pattern of every plugin, in dispatch order; `index` yields positions in here.
    var patternOwners: [(plugin: Int, pattern: Int)] = []
    var index = PatternIndex([])
    var lastCronRun: [String: Double] = [:]
    let ledger: UpdateLedger
    let sink: any ActionSink
    /// When the sudo users were last told about each plugin's errors, and what they have not been told since.
    var errorNotices = PluginErrorNotices()
    /// Counters for tests, `warden bench` and metrics.
    var counters = DispatchStats()
    /// The collector's work done while the worker waits for updates.
    var idleCollection = IdleCollection()
    /// Each chat's disabled plugins, while the read cache's stamp stays the same.
    var disabledByChat = StampedMemo<Int64, Set<String>>()
    /// The keys behind each chat's disabled plugins (the chat's and the global one), as bytes: a message
    /// looks their stamp up without building them. Starts over past 10,000 chats, as the memo does.
    var disabledPluginKeys: [Int64: [[UInt8]]] = [:]
    /// Groups whose cached keys were read ahead since the read cache last dropped everything
    /// (`RedisReadCache.clears`): a batch builds their keys only for groups not in it.
    var groupsReadAhead: (clears: UInt64, groups: Set<Int64>) = (0, [])
    /// Time and Lua allocation by phase and plugin, and the plugin calls not yet in the metrics.
    var phases = PhaseTallies()
    /// When the last phase was tallied, and Lua's allocation count then: a phase that follows at once
    /// (the `pre_process` calls of a message, one after another) starts there instead of reading the clock
    /// again (the reads were about 2% of a worker's samples in `warden bench`).
    var lastTallied: (at: ContinuousClock.Instant, luaBytes: UInt64)?
    public var stats: DispatchStats {
        var stats = counters
        for (key, tally) in zip(phases.keys, phases.tallies) {
            stats.time[key.name] = tally.time
            stats.luaAllocated[key.name] = tally.luaBytes
        }
        stats.redisRoundTrips = context.redis?.roundTrips ?? 0
        if let copyAnswers, let answered = try? lua.call(copyAnswers).first?.integerValue {
            stats.readCopyAnswers = Int(answered)
        }
        stats.time["redis"] = context.redis?.roundTripTime ?? .zero
        return stats
    }

    /// Creates the Lua state, the sandbox and the host API.
    /// - Parameters:
    ///   - redis: this worker's own connection (nil: plugins get a clear error from `redis:*`).
    public init(options: Options, sink: any ActionSink, redis: RedisConnection?, logger: Logger) throws(LuaError) {
        self.options = options
        self.logger = logger
        self.sink = sink
        let config = options.config
        lua = try LuaState(memoryCap: config.luaMemoryMB << 20, instructionBudget: config.instructionBudget)
        sandbox = try LuaSandbox(state: lua)
        let keys = RuntimeKeys(prefix: config.redisPrefix)
        context = HostContext(
            logger: logger,
            sink: sink,
            roles: RoleResolver(
                sudoUsers: Set(config.sudoUsers),
                keys: keys,
                fetches: options.adminDirectory.map { AdminListFetches(directory: $0) }
            ),
            keys: keys,
            pluginDirectory: config.pluginDirectory,
            redis: redis,
            readCache: options.readCache,
            reload: options.reload,
            shard: options.shard,
            clock: options.clock
        )
        guard let match = lua.fieldRef("match", of: sandbox.stringMethods) else {
            throw LuaError(kind: .runtime, message: "string.match missing")
        }
        stringMatch = match
        ledger = UpdateLedger(
            key: keys.handledUpdates(botID: options.botID),
            usernamesKey: keys.usernames,
            namesKey: keys.names,
            chatsKey: keys.chats,
            journal: options.journal,
            redis: redis,
            logger: logger,
            metrics: options.metrics
        )
        let host = HostFunctions.install(in: lua, context: context)
        let settings = LuaValue.table(
            LuaTable([
                "prefix": .string(config.redisPrefix),
                "version": .string(WardenVersion.current),
                "shard": .table(
                    LuaTable([
                        "index": .integer(Int64(options.shard.index)), "count": .integer(Int64(options.shard.count)),
                    ])
                ),
                "bot": .table(
                    LuaTable([
                        "id": .integer(options.botID), "username": options.botUsername.map { .string($0) } ?? .nil,
                        "first_name": .string(options.botFirstName),
                    ])
                ),
                "config": .table(Self.configView(options)),
                // A ref pushes what it refers to: these two are a table and a function.
                "string_methods": .function(sandbox.stringMethods),
                "make_env": .function(sandbox.factory),
            ])
        )
        let lua = self.lua
        let prelude = try lua.load(Prelude.source, chunkName: Prelude.chunkName)
        defer {
            lua.release(prelude)
            lua.release(host)
        }
        makeAPI = try lua.callReturningRef(prelude) { state in
            state.pushRef(host)
            state.push(settings)
            return 2
        }
        copyAnswers = options.readCache == nil ? nil : lua.fieldRef("copy_answers", of: host)
        messageMeta = lua.fieldRef("message_meta", of: host)
        context.onRefusedAction = { [unowned self] plugin, reason in
            self.noticeSudoUsers(plugin: plugin, problem: reason)
        }
    }

    /// What plugins may read of the config (`config` and `_config`): never the token or Redis URL.
    static func configView(_ options: Options) -> LuaTable {
        let config = options.config
        return LuaTable([
            "sudo_users": .table(LuaTable(array: config.sudoUsers.map { .integer($0) })),
            "enabled_plugins": .table(LuaTable(array: config.plugins.map { .string($0) })),
            "plugin_directory": .string(config.pluginDirectory),
            "old_update_age": .integer(Int64(config.oldUpdateAge)),
            "bot_username": options.botUsername.map { .string($0) } ?? .nil,
        ])
    }

    deinit {
        for plugin in plugins { plugin.release(in: lua) }
        lua.close()
    }

    /// The names of the loaded plugins, in dispatch order.
    public var pluginNames: [String] { plugins.map(\.name) }

    /// Bytes the Lua state holds now.
    public var luaMemoryInUse: Int { lua.memoryInUse }
}

/// Counters kept by a plugin host.
public struct DispatchStats: Sendable {
    public var updates = 0
    public var messages = 0
    /// Lua pattern matches tried (the index keeps this flat for plain text).
    public var patternAttempts = 0
    public var runs = 0
    public var dropped = 0
    public var callbacks = 0
    /// Round trips on the worker's Redis connection (each pipeline counts once).
    public var redisRoundTrips = 0
    /// Reads of cached keys, and their stamps, answered inside the Lua state from its copies of the read
    /// cache, without a host call (``ReadCacheCounts`` counts those the shared cache answered).
    public var readCopyAnswers = 0
    /// Errors per plugin (load, pre_process, run, callbacks, cron).
    public var pluginErrors: [String: Int] = [:]
    /// Where the worker's time went: `ledger`, `message table`, `pre_process <plugin>`, `patterns and run`,
    /// `run <plugin>`, `redis` (inside the others: the time blocked on round trips), `total`.
    public var time: [String: Duration] = [:]
    /// Collections of the Lua state the worker ran while idle, minor and full (`IdleCollection`).
    public var collectionsWhileIdle = 0
    /// Bytes the Lua state allocated, by the same phases as `time`: the garbage each makes.
    public var luaAllocated: [String: UInt64] = [:]
}

/// The version plugins see as `VERSION`.
public enum WardenVersion {
    public static let current = "0.1.0"
}
