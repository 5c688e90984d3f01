public import BotAPISpec
public import Logging

extension TelegramSimulator {
    /// How the simulator listens, who the bot is, and which Telegram limits it enforces.
    public struct Configuration: Sendable {
        /// The address to bind; keep it on loopback (the control API has no authentication).
        public var host: String
        /// The port to bind; 0 picks a free one (read `baseURL` after `start()`).
        public var port: Int
        /// The bot token the Bot API paths must carry (`/bot<token>/<method>`); others get 401.
        public var token: String
        /// The bot's user id; by default the number before ':' in the token, as in real tokens.
        public var botID: Int64
        /// The bot's username, without '@'.
        public var botUsername: String
        /// The bot's first name.
        public var botFirstName: String
        /// Flood limits; nil switches them off.
        public var rateLimits: RateLimitSettings?
        /// Telegram's privacy mode: a bot that is not an administrator of a group then receives only commands,
        /// replies to its messages, mentions of it and service messages. Off by default, like a moderation bot
        /// whose privacy mode was disabled with @BotFather (getMe reports `can_read_all_group_messages`).
        public var privacyMode: Bool
        /// Whether `POST /control/faults` may arm faults.
        public var faultsEnabled: Bool
        /// "Now" for message dates, bans, the 48-hour rule and rate limits.
        public var time: TimeSource
        /// The first `update_id` handed out.
        public var firstUpdateID: Int64
        /// First delay before a failed webhook delivery is retried; it doubles per attempt.
        public var webhookRetryBaseDelay: Double
        /// Longest delay between webhook retries.
        public var webhookRetryMaxDelay: Double
        /// How long a webhook receiver may take to answer before the delivery counts as failed.
        public var webhookTimeout: Double
        /// Whether callback queries must be answered within Telegram's window, in seconds; nil for never expiring.
        public var callbackQueryLifetime: Double?
        /// How many Bot API calls are kept for `GET /control/calls`; older ones are forgotten (seq keeps counting).
        public var recordedCallLimit: Int
        /// The reference requests are validated against.
        public var spec: BotAPISpec
        /// Where the simulator logs requests it refuses and webhook failures.
        public var logger: Logger

        /// Creates a configuration; everything but the token has a default suited to tests.
        public init(
            host: String = "127.0.0.1",
            port: Int = 0,
            token: String = "123456:TEST-TOKEN",
            botID: Int64? = nil,
            botUsername: String = "WardenBot",
            botFirstName: String = "Warden",
            rateLimits: RateLimitSettings? = .telegram,
            privacyMode: Bool = false,
            faultsEnabled: Bool = true,
            time: TimeSource = .system,
            firstUpdateID: Int64 = 100_000_001,
            webhookRetryBaseDelay: Double = 1,
            webhookRetryMaxDelay: Double = 30,
            webhookTimeout: Double = 10,
            callbackQueryLifetime: Double? = nil,
            recordedCallLimit: Int = 100_000,
            spec: BotAPISpec = .pinned,
            logger: Logger = Logger(label: "warden.simulator")
        ) {
            self.host = host
            self.port = port
            self.token = token
            self.botID = botID ?? token.split(separator: ":").first.flatMap { Int64($0) } ?? 7_000_000_001
            self.botUsername = botUsername
            self.botFirstName = botFirstName
            self.rateLimits = rateLimits
            self.privacyMode = privacyMode
            self.faultsEnabled = faultsEnabled
            self.time = time
            self.firstUpdateID = firstUpdateID
            self.webhookRetryBaseDelay = webhookRetryBaseDelay
            self.webhookRetryMaxDelay = webhookRetryMaxDelay
            self.webhookTimeout = webhookTimeout
            self.callbackQueryLifetime = callbackQueryLifetime
            self.recordedCallLimit = recordedCallLimit
            self.spec = spec
            self.logger = logger
        }
    }
}
