import TelegramSimulator
public import WardenJSON

/// What the fault run counted. `lost` and the duplicates must be zero; replies and deletions missing are
/// requests that were in flight when a kill came (an action is claimed just before it is sent: at most once).
public struct FaultRunReport: Sendable {
    public var updatesInjected = 0
    public var kills = 0
    public var botStarts = 0
    public var redisRestarts = 0
    public var faultsInjected: [String: Int] = [:]
    /// Updates the probe logged at least once, and those it logged more than once (handled again after a kill).
    public var dispatched = 0
    public var dispatchedAgain = 0
    /// Injected updates never dispatched.
    public var lost = 0
    public var repliesExpected = 0
    public var repliesSent = 0
    public var repliesTwice = 0
    /// A few of what was done twice, to look up in the logs.
    public var twiceExamples: [String] = []
    public var bansExpected = 0
    public var bansMade = 0
    public var bansTwice = 0
    public var spamPosted = 0
    public var spamDeleted = 0
    public var deletedTwice = 0
    public var spamLeft = 0

    /// Zero lost, nothing twice.
    public var passed: Bool { lost == 0 && repliesTwice == 0 && bansTwice == 0 && deletedTwice == 0 }

    mutating func analyze(posts: [FaultRunWorld.Post], dispatched counts: [Int: Int], calls: [RecordedCall]) {
        let indices = Set(posts.map(\.index))
        dispatched = indices.filter { counts[$0] != nil }.count
        dispatchedAgain = indices.filter { (counts[$0] ?? 0) > 1 }.count
        lost = indices.count - dispatched
        let done = calls.filter { $0.status == 200 }

        var replies: [String: Int] = [:]
        for call in done where call.method == "sendMessage" {
            if let text = call.params["text"]?.string, text.hasPrefix("ack ") { replies[text, default: 0] += 1 }
        }
        repliesExpected = posts.filter { $0.kind == .echo }.count
        repliesSent = replies.count
        repliesTwice = replies.values.filter { $0 > 1 }.count
        twiceExamples = replies.filter { $0.value > 1 }.keys.sorted().prefix(5).map { $0 }

        var bans: [String: Int] = [:]
        for call in done where call.method == "banChatMember" {
            bans["\(call.params["chat_id"]?.int ?? 0):\(call.params["user_id"]?.int ?? 0)", default: 0] += 1
        }
        bansExpected = posts.filter { $0.kind == .ban }.count
        bansMade = bans.count
        bansTwice = bans.values.filter { $0 > 1 }.count

        let spam = Set(posts.filter { $0.kind == .spam }.map { "\($0.chatID):\($0.messageID)" })
        var deletions: [String: Int] = [:]
        for call in done where call.method == "deleteMessage" || call.method == "deleteMessages" {
            let chat = call.params["chat_id"]?.int ?? 0
            let ids = call.params["message_ids"]?.array?.compactMap(\.int) ?? [call.params["message_id"]?.int ?? 0]
            for id in ids where spam.contains("\(chat):\(id)") { deletions["\(chat):\(id)", default: 0] += 1 }
        }
        spamPosted = spam.count
        spamDeleted = deletions.count
        deletedTwice = deletions.values.filter { $0 > 1 }.count
    }

    public var table: String {
        let faults = faultsInjected.sorted { $0.key < $1.key }.map { "\($0.value) × \($0.key)" }.joined(separator: ", ")
        return [
            "  updates injected        \(updatesInjected)",
            "  faults                  \(kills) SIGKILLs (\(botStarts) starts), \(redisRestarts) Redis restart(s), \(faults)",
            "  dispatched              \(dispatched) at least once, \(dispatchedAgain) of them again after a kill",
            "  lost                    \(lost)",
            "  replies                 \(repliesSent) of \(repliesExpected), \(repliesTwice) twice",
            "  bans                    \(bansMade) of \(bansExpected), \(bansTwice) twice",
            "  spam deletions          \(spamDeleted) of \(spamPosted), \(deletedTwice) twice, \(spamLeft) left in the chats",
            "  done twice, e.g.        " + (twiceExamples.isEmpty ? "-" : twiceExamples.joined(separator: ", ")),
            "  result                  " + (passed ? "passed: nothing lost, nothing twice" : "FAILED"),
        ].joined(separator: "\n")
    }

    public var json: JSONValue {
        [
            "updates_injected": .int(Int64(updatesInjected)), "kills": .int(Int64(kills)),
            "bot_starts": .int(Int64(botStarts)), "redis_restarts": .int(Int64(redisRestarts)),
            "faults": .object(faultsInjected.mapValues { .int(Int64($0)) }), "dispatched": .int(Int64(dispatched)),
            "dispatched_again": .int(Int64(dispatchedAgain)), "lost": .int(Int64(lost)),
            "replies_expected": .int(Int64(repliesExpected)), "replies_sent": .int(Int64(repliesSent)),
            "replies_twice": .int(Int64(repliesTwice)), "bans_expected": .int(Int64(bansExpected)),
            "bans_made": .int(Int64(bansMade)), "bans_twice": .int(Int64(bansTwice)),
            "spam_posted": .int(Int64(spamPosted)), "spam_deleted": .int(Int64(spamDeleted)),
            "deleted_twice": .int(Int64(deletedTwice)), "spam_left": .int(Int64(spamLeft)), "passed": .bool(passed),
        ]
    }
}
