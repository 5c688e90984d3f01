import Logging
import RedisStore
import Testing
import WardenJSON
import WardenTestSupport

@testable import WardenRuntime

@Suite struct IngressStateTests {
    @Test func offsetStoredWithTheLeaseOnlyMovesForwardAndTrimsTheLedger() async throws {
        try await withRedisServer { server in
            let store = try await BotStateStore(
                redisURL: server.url,
                prefix: "t:",
                botID: 42,
                logger: Logger(label: "t")
            )
            let redis = try RedisConnection(url: server.url)
            let handled = RuntimeKeys(prefix: "t:").handledUpdates(botID: 42)
            _ = try redis.call("ZADD", handled, "8", "8", "9", "9", "10", "10", "12", "12")
            #expect(try await store.loadOffset() == 0)
            #expect(try await store.acquireLease(ttlMilliseconds: 60_000, storingOffset: 10))
            #expect(try await store.acquireLease(ttlMilliseconds: 60_000, storingOffset: 5))
            #expect(try await store.acquireLease(ttlMilliseconds: 60_000))
            #expect(try await store.loadOffset() == 10)
            #expect(try redis.call("ZRANGE", handled, "0", "-1").array?.compactMap(\.string) == ["10", "12"])
            // A hostile update id must not break the poller.
            #expect(try await store.acquireLease(ttlMilliseconds: 60_000, storingOffset: .max))
            #expect(try await store.loadOffset() == .max)
            await store.close()
        }
    }

    @Test func onlyOnePollerHoldsTheLease() async throws {
        try await withRedisServer { server in
            let first = try await BotStateStore(
                redisURL: server.url,
                prefix: "t:",
                botID: 42,
                logger: Logger(label: "t")
            )
            let second = try await BotStateStore(
                redisURL: server.url,
                prefix: "t:",
                botID: 42,
                logger: Logger(label: "t")
            )
            #expect(try await first.lease(ttlMilliseconds: 60_000) == .taken)
            #expect(try await first.lease(ttlMilliseconds: 60_000) == .renewed)
            #expect(try await second.lease(ttlMilliseconds: 60_000) == .refused)
            // Its offset is stored all the same: it comes from a batch that was handled.
            #expect(try await second.acquireLease(ttlMilliseconds: 60_000, storingOffset: 7) == false)
            #expect(try await first.loadOffset() == 7)
            try await first.releaseLease()
            #expect(try await second.lease(ttlMilliseconds: 60_000) == .taken)
            // A lease that lapsed (its holder paused too long) is taken, not renewed, even by its old holder:
            // the poller then reads the ledger again, since another process may have polled meanwhile.
            #expect(try await second.lease(ttlMilliseconds: 50) == .renewed)
            try await Task.sleep(for: .milliseconds(120))
            #expect(try await second.lease(ttlMilliseconds: 60_000) == .taken)
            await first.close()
            await second.close()
        }
    }

    @Test func migrationMovesEveryKeyOfTheChatAndNothingElse() async throws {
        try await withRedisServer { server in
            let redis = try RedisConnection(url: server.url)
            let keys = RuntimeKeys(prefix: "t:")
            _ = try redis.call("SET", keys.chat(-5, "settings"), "a")
            _ = try redis.call("SADD", keys.chat(-5, "mods"), "1")
            _ = try redis.call("SET", keys.chat(-55, "settings"), "other chat")
            let moved = try ChatMigration.move(from: -5, to: -1_000_000_000_005, keys: keys, redis: redis)
            #expect(moved == 2)
            #expect(try redis.call("GET", keys.chat(-1_000_000_000_005, "settings")).string == "a")
            #expect(try redis.call("SISMEMBER", keys.chat(-1_000_000_000_005, "mods"), "1").int == 1)
            #expect(try redis.call("GET", keys.chat(-55, "settings")).string == "other chat")
            #expect(try redis.call("EXISTS", keys.chat(-5, "settings")).int == 0)
        }
    }

    @Test func routerKeepsEachChatOnOneWorkerAndOutcomesInOrder() async throws {
        try await TestWorlds.withEchoWorkers(count: 3) { workers, sink in
            let router = UpdateRouter(workers: workers)
            var updates: [JSONValue] = []
            for index in 0..<60 {
                updates.append(Fixture.message("m\(index)", chat: Fixture.chat(-Int64(index % 6) - 1, type: "group")))
            }
            let outcomes = await router.dispatch(updates)
            #expect(outcomes.map(\.updateID) == updates.map { $0["update_id"]?.int })
            for chat in 1...6 {
                let texts = sink.actions.filter { $0.params["chat_id"] == .int(-Int64(chat)) }.compactMap {
                    $0.params["text"]?.string
                }
                let expected = (0..<60).filter { $0 % 6 == chat - 1 }.map { "m\($0)" }
                #expect(texts == expected)
            }
        }
    }
}
