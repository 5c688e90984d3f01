import RedisStore

/// The Redis keys the runtime itself reads and writes (docs/redis-schema.md).
struct RuntimeKeys: Sendable {
    let schema: RedisKeySchema

    init(prefix: String) {
        // WardenConfig.validate() has refused prefixes the schema would not take.
        schema = (try? RedisKeySchema(prefix: prefix)) ?? .default
    }

    var prefix: String { schema.prefix }

    /// A per-chat key, hash-tagged so all of one chat's keys share a cluster slot.
    func chat(_ chatID: Int64, _ parts: String...) -> String { schema.chat(chatID, parts: parts).rawValue }

    /// Sudo users added at run time, on top of config.
    var sudoUsers: String { schema.global("sudo").rawValue }

    /// The users-seen cache: lowercased username → user id, for `@username` targets.
    var usernames: String { schema.global("usernames").rawValue }

    /// The names of users the bot has seen: user id → "First Last", for messages about users given by id.
    var names: String { schema.global("names").rawValue }

    /// Groups and supergroups the bot is in: added on every message from one, removed when the bot leaves.
    var chats: String { schema.global("chats").rawValue }

    /// Plugins a sudo user switched off in every chat.
    var globallyDisabledPlugins: String { schema.global("disabled_plugins").rawValue }

    /// Plugins disabled in one chat.
    func disabledPlugins(_ chatID: Int64) -> String { chat(chatID, "disabled_plugins") }

    /// The chat's Telegram admins (user id → `creator`/`administrator`), and the mark that they were fetched
    /// lately (its TTL is the list's lifetime).
    func admins(_ chatID: Int64) -> String { chat(chatID, "admins") }
    func adminsFetched(_ chatID: Int64) -> String { chat(chatID, "admins_fetched") }

    /// Updates handled but not yet confirmed by the stored offset (a sorted set scored by update id).
    func handledUpdates(botID: Int64) -> String { handledUpdatesKey(botID: botID).rawValue }
    func handledUpdatesKey(botID: Int64) -> RedisKey { schema.global("bot", String(botID), "handled") }

    /// Batches fetched by long polling and not yet handled (a hash: the batch's last update id → the
    /// `getUpdates` answer): the next `getUpdates` confirms a batch to Telegram while it is still handled.
    func updateInboxKey(botID: Int64) -> RedisKey { schema.global("bot", String(botID), "inbox") }

    /// Actions of handled updates not yet answered by Telegram (a hash: `<update id>:<n>` → JSON).
    func actionJournal(botID: Int64) -> String { actionJournalKey(botID: botID).rawValue }
    func actionJournalKey(botID: Int64) -> RedisKey { schema.global("bot", String(botID), "outbox") }

    /// Journal entries being claimed, field → the claiming process (kept until its claim is answered).
    func actionClaimsKey(botID: Int64) -> RedisKey { schema.global("bot", String(botID), "outbox_claims") }

    /// What `save_config()` stored, applied on top of the config file.
    var configOverlay: String { schema.global("config", "overlay").rawValue }
}
