import RedisStore
import Testing
import WardenJSON
import WardenTestSupport

@testable import WardenRuntime

@Suite struct UpdateLedgerTests {
    // Silent, so the only round trips are the ledger's (a reply's journal entry is taken with one more).
    static let echo = ("echo", #"return { patterns = { "^hello$" }, run = function(msg) end }"#)

    static func update(_ id: Int64, from user: Int64 = Fixture.member, username: String? = nil) -> JSONValue {
        guard case .object(var message)? = Fixture.message("hello", from: user)["message"] else { return nil }
        message["from"] = Fixture.user(user, username: username)
        return ["update_id": .int(id), "message": .object(message)]
    }

    @Test func aRedeliveredBatchIsSkippedAndOnlyIdsUpToTheHorizonAreLookedUp() async throws {
        try await withRedisServer { server in
            let test = try TestHost(plugins: [Self.echo], redisURL: server.url)
            let first = test.host.handle(batch: [Self.update(100), Self.update(101)])
            #expect(first.map(\.handledBy) == [["echo"], ["echo"]])

            // Redelivered after a crash, with a new update: the old ones are found in the ledger.
            let again = test.host.handle(batch: [Self.update(100), Self.update(101), Self.update(102)])
            #expect(again.map(\.stopped) == [.alreadyHandled, .alreadyHandled, nil])
            #expect(again.map(\.handledBy) == [[], [], ["echo"]])

            // The poller vouches for ids above 102: 102 is still looked up (and found), 103 is handled.
            let mixed = test.host.handle(batch: [Self.update(102), Self.update(103)], freshAbove: 102)
            #expect(mixed.map(\.stopped) == [.alreadyHandled, nil])
            // Vouched for too early (a bug in the caller), a handled update would be handled again: the
            // horizon must come from the ledger.
            let vouched = test.host.handle(batch: [Self.update(103)], freshAbove: 102)
            #expect(vouched.map(\.handledBy) == [["echo"]])
        }
    }

    @Test func withNothingToLookUpTheNotesRideTheRecordsRoundTrip() async throws {
        try await withRedisServer { server in
            let test = try TestHost(plugins: [Self.echo], redisURL: server.url)
            let redis = try server.connect()
            let keys = RuntimeKeys(prefix: test.host.options.config.redisPrefix)
            // A new user's first message, looked up: the lookup and the notes share a round trip.
            var roundTrips = test.host.stats.redisRoundTrips
            _ = test.host.handle(batch: [Self.update(150, from: 444, username: "Earlier")])
            let lookedUp = test.host.stats.redisRoundTrips - roundTrips
            // Vouched for: one round trip less, the notes going out with the next one.
            roundTrips = test.host.stats.redisRoundTrips
            let outcomes = test.host.handle(batch: [Self.update(200, from: 333, username: "NewUser")], freshAbove: 199)
            #expect(outcomes.map(\.handledBy) == [["echo"]])
            #expect(test.host.stats.redisRoundTrips - roundTrips == lookedUp - 1)
            #expect(try redis.call("HGET", keys.usernames, "newuser").string == "333")
            #expect(try redis.call("SISMEMBER", keys.chats, String(Fixture.group)).int == 1)
            #expect(try redis.call("ZSCORE", keys.handledUpdates(botID: Fixture.botID), "200").int == 200)
        }
    }
}
