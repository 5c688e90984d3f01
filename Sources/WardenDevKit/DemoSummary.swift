import Foundation
public import WardenJSON

/// The figures `warden demo` ends with.
public struct DemoSummary: Sendable {
    public var updatesSeen = 0
    public var spamSent = 0
    public var spamDeleted = 0
    /// Spam Telegram refused to post because the bot had already restricted or banned the sender.
    public var spamBlocked = 0
    public var usersRestricted = 0
    public var usersBanned = 0
    public var botAPICalls = 0
    public var tooManyRequests = 0
    /// From the first to the last spam message of the raid.
    public var raidSeconds: Double?
    /// From the first spam message until the last one was gone (nil: some spam stayed).
    public var cleanSeconds: Double?
    public var failedSteps = 0

    var rows: [(String, String)] {
        [
            ("updates seen by the bot", "\(updatesSeen)"),
            ("spam messages sent", "\(spamSent)"),
            ("spam messages deleted", "\(spamDeleted)"),
            ("spam refused by Telegram (sender already muted)", "\(spamBlocked)"),
            ("users restricted", "\(usersRestricted)"),
            ("users banned or kicked", "\(usersBanned)"),
            ("Bot API calls", "\(botAPICalls)"),
            ("429 Too Many Requests received", "\(tooManyRequests)"),
            ("first to last raid message", raidSeconds.map { String(format: "%.2f s", $0) } ?? "-"),
            (
                "first raid message until the last spam was gone",
                cleanSeconds.map { String(format: "%.2f s", $0) } ?? "spam left"
            ),
            ("scenario steps that failed", "\(failedSteps)"),
        ]
    }

    /// A two-column table for the terminal.
    public var table: String {
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
            .joined(separator: "\n")
    }

    public var json: JSONValue {
        [
            "updates_seen": .int(Int64(updatesSeen)), "spam_sent": .int(Int64(spamSent)),
            "spam_deleted": .int(Int64(spamDeleted)), "spam_blocked": .int(Int64(spamBlocked)),
            "users_restricted": .int(Int64(usersRestricted)),
            "users_banned": .int(Int64(usersBanned)), "bot_api_calls": .int(Int64(botAPICalls)),
            "too_many_requests": .int(Int64(tooManyRequests)),
            "raid_seconds": raidSeconds.map(JSONValue.double) ?? .null,
            "clean_seconds": cleanSeconds.map(JSONValue.double) ?? .null,
            "failed_steps": .int(Int64(failedSteps)),
        ]
    }
}
