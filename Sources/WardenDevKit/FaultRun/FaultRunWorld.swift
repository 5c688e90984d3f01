import Foundation
import TelegramSimulator
import WardenTestSupport

/// What the fault run posts and how the bot is set up for it: a probe plugin that logs every dispatch,
/// answers `n<i>` and bans the sender of `ban<i>`, beside the shipped link lock that deletes `spam <i> <link>`.
enum FaultRunWorld {
    /// One posted message: its index (in its text), kind, chat, sender and message id.
    struct Post: Sendable {
        enum Kind: Sendable { case echo, spam, ban }
        var index: Int
        var kind: Kind
        var chatID: Int64
        var userID: Int64
        var messageID: Int64
    }

    static let probe = #"""
        -- The fault run's probe: every dispatch is logged (the log survives Redis outages and kills), so the
        -- run can tell which updates were dispatched and how often.
        return {
          patterns = { "^n(%d+)$", "^ban(%d+)$" },
          pre_process = function(msg)
            local index = (msg.text or ""):match("(%d+)")
            if index then
              log.info("dispatched " .. index)
              pcall(redis.incr, redis, keys.global("fault_run_progress")) -- a gauge for the driver only
            end
            return msg
          end,
          run = function(msg, m)
            if msg.text:match("^ban") then
              bot.ban(msg.chat.id, msg.from.id)
              return nil
            end
            return "ack " .. m[1]
          end,
        }
        """#

    static let plugins = ["probe", "locks", "bans", "gban", "blocklist"]

    /// The shipped plugins copied, and the probe beside them.
    static func pluginDirectory(copying shipped: String) throws -> String {
        try PluginDirectoryCopy.make(copying: shipped, adding: ["probe.lua": probe])
    }

    /// The bot's config: two workers, short polls, and outbox limits far above what the run sends, since
    /// Telegram's limits are not under test here (the simulator's are off; 429s come as injected faults).
    /// - Parameter plugins: the enabled list; nil for every plugin in the directory.
    static func config(
        token: String,
        redisURL: String,
        apiBaseURL: String,
        pluginDirectory: String,
        plugins: [String]? = Self.plugins,
        statusPort: Int = 0
    ) -> String {
        let enabled = plugins.map { "enabled = [\($0.map { "\"\($0)\"" }.joined(separator: ", "))]" } ?? ""
        return """
            token = "\(token)"
            [redis]
            url = "\(redisURL)"
            [plugins]
            directory = "\(pluginDirectory)"
            \(enabled)
            watch = false
            [telegram]
            api_base_url = "\(apiBaseURL)"
            polling_timeout = 1
            [runtime]
            workers = 2
            # Every message is queued before the first start; a start that comes later than a minute (a
            # lease to wait out, getMe time-outs) would take them for old and run no commands, by design,
            # and the run would count their replies as missing.
            old_update_age = 86400
            [status]
            listen_port = \(statusPort)
            [outbox]
            global_per_second = 5000
            group_per_minute = 1000000
            chat_per_second = 5000
            """
    }

    /// `count` messages: 85% `n<i>`, 10% link spam, 5% `ban<i>` from members not banned yet (owners never).
    /// All are posted before the bot starts, so a banned member's later messages are still delivered.
    static func messages(
        count: Int,
        world: TelegramSimulator.BenchWorld,
        seed: UInt64
    ) -> [(kind: Post.Kind, post: TelegramSimulator.BenchPost)] {
        var random = SeededGenerator(seed: seed)
        var banned: Set<Int64> = []
        let now = Int64(Date().timeIntervalSince1970)
        return (0..<count).map { index in
            let group = Int.random(in: 0..<world.groupIDs.count, using: &random)
            let members = world.members[group].filter { $0 != world.ownerIDs[group] }
            var sender = members.randomElement(using: &random) ?? world.ownerIDs[group]
            let roll = Double.random(in: 0..<1, using: &random)
            let kind: Post.Kind
            let text: String
            if roll < 0.85 {
                (kind, text) = (.echo, "n\(index)")
            } else if roll < 0.95 {
                (kind, text) = (.spam, "spam \(index) https://spam.example/\(index)")
            } else if let target = members.first(where: { !banned.contains($0) }) {
                banned.insert(target)
                sender = target
                (kind, text) = (.ban, "ban\(index)")
            } else {
                (kind, text) = (.echo, "n\(index)")
            }
            return (kind, BenchWorkload.text(text, from: sender, in: world.groupIDs[group], at: now))
        }
    }
}
