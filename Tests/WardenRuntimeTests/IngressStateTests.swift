import BotAPI
import Logging
import RedisStore
import Testing
import WardenJSON
import WardenTestSupport

@testable import WardenRuntime

@Suite struct IngressStateTests {
    static func store(_ url: String) async throws -> BotStateStore {
        try await BotStateStore(redisURL: url, prefix: "t:", botID: 42, logger: Logger(label: "t"))
    }

    @Test func offsetStoredWithTheLeaseOnlyMovesForwardAndTrimsTheLedger() async throws {
        try await withRedisServer { server in
            let store = try await Self.store(server.url)
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
            let first = try await Self.store(server.url)
            let second = try await Self.store(server.url)
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

    /// A batch goes into the inbox with the lease's round trip, only while the lease is held, and leaves it
    /// with the round trip that stores the offset past it, lease or not (it was handled).
    @Test func theInboxKeepsAFetchedBatchUntilTheOffsetIsStoredPastIt() async throws {
        try await withRedisServer { server in
            let first = try await Self.store(server.url)
            let second = try await Self.store(server.url)
            func batch(_ ids: ClosedRange<Int64>) throws -> UpdateBatch {
                let updates = ids.map { id -> JSONValue in
                    ["update_id": .int(id), "message": ["message_id": .int(id), "text": .string("n\(id)")]]
                }
                let body = JSONValue.object(["ok": true, "result": .array(updates)]).serialized()
                return try UpdateBatch(body: body)
            }
            #expect(try await first.lease(ttlMilliseconds: 60_000, keeping: try batch(1...3)) == .taken)
            #expect(try await first.lease(ttlMilliseconds: 60_000, keeping: try batch(4...5)) == .renewed)
            // Another process may not keep its batch: it will not handle it.
            #expect(try await second.lease(ttlMilliseconds: 60_000, keeping: try batch(6...6)) == .refused)
            var kept = try await second.inbox()
            #expect(kept.map(\.field) == ["3", "5"])
            #expect(kept.map { $0.updates.updates.map(\.updateID) } == [[1, 2, 3], [4, 5]])
            #expect(kept.first?.updates.updates.last?.raw["message"]?["text"]?.string == "n3")
            // The first batch handled: the offset moves past it and it leaves the inbox, even from a process
            // that lost the lease meanwhile.
            #expect(try await second.lease(ttlMilliseconds: 60_000, storingOffset: 4, forgetting: ["3"]) == .refused)
            kept = try await first.inbox()
            #expect(kept.map(\.field) == ["5"])
            #expect(try await first.loadOffset() == 4)
            try await first.clearInbox()
            #expect(try await first.inbox().isEmpty)
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

    /// Batches handed out one after another without waiting (as the poller does while it fetches the next):
    /// each chat's updates are handled in the order they came, and a worker goes on to its share of the next
    /// batches while another is still on the batch before.
    @Test func batchesHandedOutWithoutWaitingKeepEachChatInOrder() async throws {
        // "wait" holds its worker until the other worker has handled "last", 100 batches later: a worker that
        // waited for the other's share of an earlier batch would never get there.
        let plugin = #"""
            return { patterns = { "^(.*)$" }, run = function(msg, m)
              local done = keys.global("other_worker_done")
              if m[1] == "wait" then
                local started = os.time()
                while redis:get(done) ~= "1" do
                  if os.time() - started > 30 then return "gave up" end
                end
                return "went on"
              end
              if m[1] == "last" then redis:set(done, "1") end
              return m[1]
            end }
            """#
        try await withRedisServer { server in
            // Waiting spins, and a loaded machine may keep it spinning for seconds: a budget to match.
            try await TestWorlds.withEchoWorkers(
                count: 2,
                plugin: plugin,
                redisURL: server.url,
                configure: { $0.instructionBudget = 4_000_000_000 }
            ) { workers, sink in
                let router = UpdateRouter(workers: workers)
                // Chats -1 and -3 go to one worker, -2 and -4 to the other.
                let chats: [Int64] = [-1, -2, -3, -4]
                #expect(Set(chats.map { Shard.index(of: $0, count: 2) }).count == 2)
                func text(batch: Int, index: Int) -> String {
                    switch (batch, index) {
                    case (0, 0): "wait"
                    case (99, 7): "last"
                    default: "\(batch).\(index)"
                    }
                }
                var handed: [Task<[UpdateOutcome], Never>] = []
                for batch in 0..<100 {
                    let updates = (0..<8).map { index in
                        Fixture.message(
                            text(batch: batch, index: index),
                            chat: Fixture.chat(chats[index % 4], type: "group")
                        )
                    }
                    // Later batches handed from tasks of a higher priority: the pool would run them first, were
                    // the shares not queued on their workers in the order they were handed.
                    let priority: TaskPriority = batch < 50 ? .background : .high
                    handed.append(await Task(priority: priority) { router.hand(updates, freshAbove: nil) }.value)
                }
                var outcomes: [UpdateOutcome] = []
                for task in handed { outcomes += await task.value }
                #expect(outcomes.count == 800)
                let texts = sink.actions.compactMap { action in
                    action.params["text"]?.string.map { (chat: action.params["chat_id"]?.int ?? 0, text: $0) }
                }
                for chat in chats {
                    let expected = (0..<100).flatMap { batch in
                        (0..<8).filter { chats[$0 % 4] == chat }.map { text(batch: batch, index: $0) }
                    }
                    let answers = expected.map { $0 == "wait" ? "went on" : $0 }
                    #expect(texts.filter { $0.chat == chat }.map(\.text) == answers, "chat \(chat)")
                }
            }
        }
    }
}
