import TelegramSimulator
import WardenJSON
import WardenTestSupport

/// The messages `warden bench` posts: 90% ordinary chat, 5% commands, 5% spam and floods (in updates), from the
/// users of a seeded world, dated over the last seconds so flood windows see realistic gaps.
/// Deterministic for a seed, so two runs post the same traffic.
struct BenchWorkload {
    struct Counts: Sendable {
        var ordinary = 0
        var commands = 0
        var spam = 0
    }

    static let chatter = [
        "good morning everyone", "has anyone tried the new release?", "thanks, that fixed it",
        "see you at the meetup", "the docs say otherwise", "lol", "which version are you on?",
        "I'll check tonight", "can someone review my PR", "that's a great idea",
    ]
    static let memberCommands = ["/rules", "/about", "/warns", "/id", "/help"]
    static let ownerCommands = ["/settings", "/locks", "/flood", "/modlist"]
    static let spamLinks = [
        "FREE crypto giveaway https://spam.example/win", "cheap followers t.me/+AbCdEfGh", "click www.scam.example",
    ]

    // Per 1,600 updates: 1,440 ordinary, 80 commands, 40 spam links and 5 bursts of 8 flood messages.
    static let floodBurst = 8
    static let ordinaryRolls = 1440
    static let commandRolls = 80
    static let spamRolls = 40
    static let floodRolls = 5
    static let rollRange = ordinaryRolls + commandRolls + spamRolls + floodRolls

    var random: SeededGenerator
    let world: TelegramSimulator.BenchWorld
    /// Users in the order they speak: everyone once, in a random order, then again in another. People take
    /// turns; drawn at random each time, some would post several times in a row and pass for flooders.
    private var turns: [Int]
    private var nextTurn: Int

    init(world: TelegramSimulator.BenchWorld, seed: UInt64) {
        self.world = world
        random = SeededGenerator(seed: seed)
        turns = Array(world.userIDs.indices)
        nextTurn = turns.count
    }

    private mutating func nextSpeaker() -> Int {
        if nextTurn == turns.count {
            turns.shuffle(using: &random)
            nextTurn = 0
        }
        defer { nextTurn += 1 }
        return turns[nextTurn]
    }

    /// Seconds the posts are dated over: long enough that a user writes every 5 s or so, as people chatting
    /// do, so ordinary messages are not floods (a user's sixth message within 5 s is one); at least 20 s,
    /// and at most 50 s, so none is older than the bot's `old_update_age` (60 s) when handled.
    static func spread(count: Int, users: Int) -> Int64 {
        let meanGap = 5
        return Int64(min(50, max(20, count * meanGap / max(users, 1))))
    }

    /// `count` posts dated from `now - spread` to `now` (by default, `spread(count:users:)`).
    mutating func posts(
        count: Int,
        now: Int64,
        spread: Int64? = nil
    ) -> (posts: [TelegramSimulator.BenchPost], counts: Counts) {
        let spread = spread ?? Self.spread(count: count, users: world.userIDs.count)
        var posts: [TelegramSimulator.BenchPost] = []
        posts.reserveCapacity(count)
        var counts = Counts()
        while posts.count < count {
            let date = now - spread + Int64(posts.count) * spread / Int64(max(count, 1))
            let index = nextSpeaker()
            let user = world.userIDs[index]
            let group = index % world.groupIDs.count  // as seedBench placed them
            let chat = world.groupIDs[group]
            // Weighted so that, counted in updates, the mix is the issue's: 90% ordinary, 5% commands,
            // 2.5% spam links and 2.5% floods (a flood roll posts a burst of eight).
            let roll = random.below(Self.rollRange)
            if roll < Self.ordinaryRolls {
                posts.append(Self.text(Self.chatter[random.below(Self.chatter.count)], from: user, in: chat, at: date))
                counts.ordinary += 1
            } else if roll < Self.ordinaryRolls + Self.commandRolls {
                let owner = world.ownerIDs[group]
                let byOwner = random.below(2) == 0
                let pool = byOwner ? Self.ownerCommands : Self.memberCommands
                let text = pool[random.below(pool.count)]
                posts.append(Self.text(text, from: byOwner ? owner : user, in: chat, at: date))
                counts.commands += 1
            } else if roll < Self.ordinaryRolls + Self.commandRolls + Self.spamRolls {
                posts.append(
                    Self.text(Self.spamLinks[random.below(Self.spamLinks.count)], from: user, in: chat, at: date)
                )
                counts.spam += 1
            } else {
                // A flood: a burst of messages in the same second.
                for line in 0..<min(Self.floodBurst, count - posts.count) {
                    posts.append(Self.text("buy now \(line)", from: user, in: chat, at: date))
                    counts.spam += 1
                }
            }
        }
        return (posts, counts)
    }

    static func text(_ text: String, from user: Int64, in chat: Int64, at date: Int64) -> TelegramSimulator.BenchPost {
        TelegramSimulator.BenchPost(chatID: chat, from: user, text: text, date: date)
    }
}
