import Foundation
import Logging
import RedisStore
import TelegramSimulator
import Testing
import WardenJSON
import WardenTestSupport

@testable import WardenRuntime

/// plugins/bans.lua, as shipped, against the simulator and a real redis-server.
@Suite(.serialized) struct BansPluginTests {
    static let shippedPlugins = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("plugins").path

    struct Group {
        let world: TelegramEndToEndTests.World
        let spammer: Int64
        let otherAdmin: Int64
    }

    /// A supergroup where the bot may restrict (unless `botRights` says otherwise), with an owner, an admin,
    /// a member and a spammer; the bot runs plugins/bans.lua while `body` runs.
    static func withGroup(
        botRights: [String] = ["can_delete_messages", "can_restrict_members"],
        _ body: (Group) async throws -> Void
    )
        async throws
    {
        try await withRedisServer { redis in
            let token = TelegramEndToEndTests.token
            try await TestWorlds.withSimulator(.init(token: token, logger: Logger(label: "sim"))) { simulator in
                let control = SimulatorControl(baseURL: simulator.baseURL)
                let owner = try await control.createUser(firstName: "Olga", username: "olga")
                let admin = try await control.createUser(firstName: "Adam", username: "adam")
                let member = try await control.createUser(firstName: "Mia", username: "mia")
                let spammer = try await control.createUser(firstName: "Spam", username: "spammer")
                let group = try await control.createChat(
                    type: "supergroup",
                    title: "Bans",
                    creator: owner.id,
                    botStatus: "administrator",
                    botRights: botRights
                )
                try await control.setMember(
                    admin.id,
                    in: group.id,
                    status: "administrator",
                    rights: ["can_restrict_members"]
                )
                for user in [member.id, spammer.id] {
                    try await control.setMember(user, in: group.id, status: "member")
                }
                let world = TelegramEndToEndTests.World(
                    simulator: simulator,
                    control: control,
                    redisURL: redis.url,
                    pluginDirectory: shippedPlugins,
                    group: group.id,
                    member: member.id,
                    admin: owner.id
                )
                var config = world.config { $0.plugins = ["bans"] }
                config.redisPrefix = "bans:"
                try await TelegramEndToEndTests.withBot(config, ingress: .polling(dropPendingUpdates: false)) { _ in
                    // Everyone says hello first: the bot resolves @usernames of users it has seen.
                    for user in [owner.id, admin.id, member.id, spammer.id] {
                        try await control.send(from: user, in: group.id, text: "hello")
                    }
                    let keys = RuntimeKeys(prefix: config.redisPrefix)
                    let redisConnection = try RedisConnection(url: redis.url)
                    try await TelegramEndToEndTests.eventually("usernames seen") {
                        try redisConnection.call("HLEN", keys.usernames).int == 4
                    }
                    try await body(Group(world: world, spammer: spammer.id, otherAdmin: admin.id))
                }
            }
        }
    }

    static func status(_ user: Int64, _ group: Group) async throws -> String? {
        try await group.world.control.member(user, in: group.world.group)["status"]?.string
    }

    @Test func adminBansByReplyWithAReasonAndBanlistShowsIt() async throws {
        try await Self.withGroup { group in
            let world = group.world
            let spam = try await world.control.send(from: group.spammer, in: world.group, text: "buy now")
            try await world.control.send(
                from: world.admin,
                in: world.group,
                text: "/ban selling stuff",
                replyTo: spam.id
            )
            try await TelegramEndToEndTests.eventually("banned") {
                try await Self.status(group.spammer, group) == "kicked"
            }
            try await world.control.send(from: world.admin, in: world.group, text: "/banlist")
            try await TelegramEndToEndTests.eventually("banlist") {
                try await world.sentTexts().contains { $0.contains("Spam") && $0.contains("selling stuff") }
            }
            #expect(try await world.sentTexts().first == "Banned Spam: selling stuff")
        }
    }

    @Test func aMemberIssuingBanChangesNothing() async throws {
        try await Self.withGroup { group in
            let world = group.world
            try await world.control.send(from: world.member, in: world.group, text: "/ban @spammer")
            try await world.control.send(from: world.member, in: world.group, text: "/kick \(group.spammer)")
            try await Task.sleep(for: .seconds(2))
            #expect(try await Self.status(group.spammer, group) == "member")
            #expect(try await world.control.calls(method: "banChatMember").isEmpty)
            #expect(try await world.sentTexts().isEmpty)
        }
    }

    @Test func anAdminCannotBanAnAdmin() async throws {
        try await Self.withGroup { group in
            let world = group.world
            try await world.control.send(from: group.otherAdmin, in: world.group, text: "/ban @olga")
            try await TelegramEndToEndTests.eventually("refusal") {
                try await world.sentTexts() == ["I will not do that to an admin."]
            }
            #expect(try await world.control.calls(method: "banChatMember").isEmpty)
        }
    }

    @Test func aBotWithoutTheRightSaysWhichRightItLacks() async throws {
        try await Self.withGroup(botRights: ["can_delete_messages"]) { group in
            let world = group.world
            try await world.control.send(from: world.admin, in: world.group, text: "/ban @spammer")
            try await TelegramEndToEndTests.eventually("rights message") {
                try await world.sentTexts().contains { $0.contains("not enough rights") }
            }
            #expect(try await Self.status(group.spammer, group) == "member")
        }
    }

    @Test func temporaryBansAndMutesCarryUntilDate() async throws {
        try await Self.withGroup { group in
            let world = group.world
            try await world.control.send(from: world.admin, in: world.group, text: "/tmute @mia 30m flooding")
            try await world.control.send(from: world.admin, in: world.group, text: "/tban @spammer 2h")
            try await world.control.send(from: world.admin, in: world.group, text: "/tban @spammer 5x")
            try await TelegramEndToEndTests.eventually("both applied") {
                let muted = try await Self.status(world.member, group)
                let banned = try await Self.status(group.spammer, group)
                return muted == "restricted" && banned == "kicked"
            }
            let ban = try await world.control.calls(method: "banChatMember").first?["params"]?["until_date"]?.int ?? 0
            #expect(abs(ban - Int64(Date().timeIntervalSince1970) - 7200) < 60)
            try await TelegramEndToEndTests.eventually("bad duration explained") {
                try await world.sentTexts().contains("give a duration like 30m, 2h or 7d")
            }
            try await world.control.send(from: world.admin, in: world.group, text: "/unmute @mia")
            try await TelegramEndToEndTests.eventually("unmuted") {
                try await Self.status(world.member, group) != "restricted"
            }
        }
    }

    @Test func kickmeRemovesTheSenderButNotAnAdmin() async throws {
        try await Self.withGroup { group in
            let world = group.world
            try await world.control.send(from: world.member, in: world.group, text: "/kickme")
            try await world.control.send(from: group.otherAdmin, in: world.group, text: "/kickme")
            try await TelegramEndToEndTests.eventually("kicked and refused") {
                let texts = try await world.sentTexts()
                return texts.contains("Bye, Mia.") && texts.contains("Admins cannot kick themselves.")
            }
            try await TelegramEndToEndTests.eventually("left") {
                try await Self.status(world.member, group) != "member"
            }
        }
    }
}
