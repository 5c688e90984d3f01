/// Everything Warden reads at startup: `data/config.example.toml` documents each field.
///
/// ```swift
/// let config = try WardenConfig.load(path: "config.toml", environment: ProcessInfo.processInfo.environment)
/// ```
public struct WardenConfig: Sendable {
    /// The bot token; never logged (see `Secret`).
    public var token: Secret?
    /// `redis://[:password@]host:port/db` or `unix:///path`.
    public var redisURL: Secret = Secret("redis://127.0.0.1:6379/0")
    /// Every key Warden writes starts with this.
    public var redisPrefix = "warden:"
    /// Keep rarely-written keys (settings, blocklists, global bans) in memory, kept fresh by keyspace
    /// notifications, so an ordinary message does not read them from Redis (docs/redis-schema.md).
    public var redisCache = true
    /// Telegram user ids with every right (more can be added at run time with `/sudo add`).
    public var sudoUsers: [Int64] = []
    /// Where plugin files live (relative paths are from the working directory).
    public var pluginDirectory = "plugins"
    /// Enabled plugins, in dispatch order; empty means every file in `pluginDirectory`, by name.
    public var plugins: [String] = []
    /// Reload the plugins when a file in `pluginDirectory` (or its `lib/` and `lang/`) changes.
    public var watchPlugins = true
    /// At startup, messages older than this many seconds are marked old (commands in them are not run).
    public var oldUpdateAge = 60
    /// Instructions one plugin callback may run before it is stopped.
    public var instructionBudget: Int64 = 20_000_000
    /// Memory one worker's Lua state may hold, in MiB.
    public var luaMemoryMB = 64
    /// Worker threads (each a Lua state and a Redis connection); 0 means one per core.
    public var workers = 0
    /// The bot's username and id when not learned from `getMe` (offline runs).
    public var botUsername: String?
    public var botID: Int64 = 0

    /// Where the Bot API is: Telegram, a local Bot API server, or `warden simulator`.
    public var apiBaseURL = "https://api.telegram.org"
    /// Long polling: seconds `getUpdates` waits for news.
    public var pollingTimeout = 30
    /// Webhook mode: the public URL Telegram posts to (`warden run --webhook URL` sets it too).
    public var webhookURL: String?
    /// Where the webhook server listens (put nginx or a load balancer in front for TLS).
    /// `/metrics` and `/health` (`warden status`); port 0 switches them off.
    public var statusListenHost = "127.0.0.1"
    public var statusListenPort = 0
    public var webhookListenHost = "127.0.0.1"
    public var webhookListenPort = 8443
    /// Checked against `X-Telegram-Bot-Api-Secret-Token` on every request; generated at start when unset.
    public var webhookSecret: Secret?
    /// Connections Telegram may open to the webhook at once (1-100).
    public var webhookMaxConnections = 40
    /// Generate a self-signed certificate (for the webhook's host name) and upload it with setWebhook.
    public var webhookSelfSignedCertificate = false
    /// Where generated files (the self-signed certificate) go.
    public var dataDirectory = "data/runtime"
    /// Telegram's limits as the outbox keeps them.
    public var outbox = OutboxConfiguration()

    public init() {}
}
