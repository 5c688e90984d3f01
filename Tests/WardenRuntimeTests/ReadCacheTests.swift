import Foundation
import Logging
import RedisStore
import Testing
import WardenTestSupport

@testable import WardenRuntime

@Suite("Read cache: settings without a round trip, and never stale")
struct ReadCacheTests {
    static func argv(_ words: String...) -> [[UInt8]] { words.map { Array($0.utf8) } }
    static let settings = "warden:{chat:-100}:settings"

    /// A live cache with its watcher, a connection for the worker and one for "someone else".
    static func withWatchedCache(
        _ body: (RedisReadCache, KeyspaceWatcher, RedisConnection, RedisConnection, RedisTestServer) async throws ->
            Void
    ) async throws {
        try await withRedisServer { server in
            let cache = RedisReadCache(prefix: "warden:")
            let watcher = KeyspaceWatcher(url: server.redisURL, cache: cache, logger: Logger(label: "test"))
            watcher.start()
            try await waitUntil { cache.isLive }
            do {
                try await body(cache, watcher, try server.connect(), try server.connect(), server)
            } catch {
                await watcher.stop()
                throw error
            }
            await watcher.stop()
            #expect(!cache.isLive)
        }
    }

    static func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    struct ExpectedAMiss: Error {}

    /// Looks `read` up as a worker would before sending it: the generation it misses at.
    static func sent(_ read: [[UInt8]], to cache: RedisReadCache) throws -> UInt64 {
        guard case .miss(let generation, _) = cache.lookup(read) else { throw ExpectedAMiss() }
        return generation
    }

    /// Invalidates more keys (other chats' admin lists) than the cache remembers.
    static func invalidateMoreThanRemembered(_ cache: RedisReadCache) {
        for chat in 0...RedisReadCache.invalidationsKept {
            cache.invalidate(key: Array("warden:{chat:\(chat)}:admins".utf8))
        }
    }

    /// Waits until the watcher has seen everything Redis published before now.
    static func sync(_ watcher: KeyspaceWatcher, via redis: RedisConnection) async throws {
        let token = UUID().uuidString
        _ = try redis.call("PUBLISH", watcher.syncChannel, token)
        await watcher.barrier(token)
    }

    @Test func kindsAreRecognisedByTheSegmentAfterThePrefixAndChatTag() {
        let cache = RedisReadCache(prefix: "warden:")
        for key in ["warden:{chat:-100}:settings", "warden:gbans", "warden:settings", "warden:{chat:5}:blocklist"] {
            #expect(cache.isCachedKey(Array(key.utf8)), "\(key)")
        }
        for key in [
            "warden:{chat:-100}:flood:7", "other:settings", "warden:", "warden:{chat:-100}settings",
            "warden:{chat:-100}:settingsx", "settings",
        ] {
            #expect(!cache.isCachedKey(Array(key.utf8)), "\(key)")
        }
    }

    @Test func aRepeatedReadCostsNoRoundTripAndOtherKeysAlwaysGoToRedis() async throws {
        try await Self.withWatchedCache { cache, watcher, redis, _, _ in
            _ = try redis.call("HSET", Self.settings, "flood.max", "7")
            try await Self.sync(watcher, via: redis)  // its notification must not land after the first read
            let read = Self.argv("hget", Self.settings, "flood.max")
            #expect(try cache.send([read], on: redis) == [.bulk(Array("7".utf8))])
            let before = redis.roundTrips
            #expect(try cache.send([read], on: redis) == [.bulk(Array("7".utf8))])
            #expect(redis.roundTrips == before, "the second read is answered from memory")

            let flood = Self.argv("get", "warden:{chat:-100}:flood:1")
            _ = try cache.send([flood], on: redis)
            _ = try cache.send([flood], on: redis)
            #expect(redis.roundTrips == before + 2, "keys written on every message are never cached")
            #expect(cache.counts.hits == 1)
        }
    }

    @Test func keysReadAheadInOneRoundTripAnswerLaterReadsAndAreNotReadTwice() async throws {
        try await Self.withWatchedCache { cache, watcher, redis, _, _ in
            let blocklist = "warden:{chat:-100}:blocklist"
            let pending = "warden:{chat:-100}:captcha_pending"
            let missing = "warden:{chat:-200}:settings"
            let big = "warden:{chat:-300}:settings"
            _ = try redis.call("HSET", Self.settings, "flood.max", "7")
            _ = try redis.call("HSET", blocklist, "spam", "delete")
            _ = try redis.call("SADD", pending, "42")
            _ = try redis.pipeline([["HSET", big] + (0...KeySnapshot.maxMembers).flatMap { ["f\($0)", "v"] }])
            try await Self.sync(watcher, via: redis)
            let keys = [Self.settings, blocklist, pending, missing, big].map { Array($0.utf8) }
            var before = redis.roundTrips
            try cache.readAhead(keys, on: redis)
            #expect(redis.roundTrips == before + 1)
            #expect(cache.counts.readAhead == 5)

            before = redis.roundTrips
            let replies = try cache.send(
                [
                    Self.argv("hget", Self.settings, "flood.max"), Self.argv("hgetall", blocklist),
                    Self.argv("sismember", pending, "42"), Self.argv("hget", missing, "lang"),
                ],
                on: redis
            )
            #expect(
                replies == [
                    .bulk(Array("7".utf8)), .array([.bulk(Array("spam".utf8)), .bulk(Array("delete".utf8))]),
                    .integer(1), .null,
                ]
            )
            #expect(redis.roundTrips == before, "every read answered from what was read ahead")
            try cache.readAhead(keys, on: redis)
            #expect(redis.roundTrips == before, "nothing read twice, not even the key too large to keep whole")
            #expect(try cache.send([Self.argv("hget", big, "f1")], on: redis) == [.bulk(Array("v".utf8))])
            #expect(redis.roundTrips == before + 1, "a large key is cached per command, as before")
        }
    }

    @Test func aBatchFromNewGroupsReadsTheirKeysAheadSoPluginsMissNothing() async throws {
        try await Self.withWatchedCache { cache, _, _, _, server in
            let reader = (
                "reader",
                #"return { pre_process = function(msg) redis:hgetall(keys.chat(msg.chat.id, "settings")) return msg end }"#
            )
            let test = try TestHost(
                plugins: [reader],
                redisURL: server.url,
                configure: { $0.redisPrefix = "warden:" },
                adjust: { $0.readCache = cache }
            )
            let groups: [Int64] = [-1001, -1002, -1003, -1004, -1005]
            _ = test.host.handle(batch: groups.map { Fixture.message("hi", chat: Fixture.chat($0)) })
            #expect(
                cache.counts.readAhead == RedisReadCache.globalKinds.count + groups.count
                    * RedisReadCache.chatKinds.count
            )
            #expect(cache.counts.misses == 0, "every plugin read answered from what was read ahead")
            #expect(cache.counts.hits >= groups.count)
        }
    }

    @Test func aWriteThroughTheCacheIsSeenAtOnce() async throws {
        try await Self.withWatchedCache { cache, _, redis, _, _ in
            let read = Self.argv("hgetall", Self.settings)
            #expect(try cache.send([read], on: redis) == [.array([])])
            // No waiting for the notification: the write itself drops the cached reply.
            _ = try cache.send([Self.argv("hset", Self.settings, "lock.links", "delete")], on: redis)
            #expect(try cache.send([read], on: redis)[0].array?.count == 2)
        }
    }

    @Test func aWriteFromAnotherConnectionIsSeenOnceRedisNotifiesIt() async throws {
        try await Self.withWatchedCache { cache, watcher, redis, operatorCLI, _ in
            let read = Self.argv("sismember", "warden:{chat:-100}:captcha_pending", "42")
            #expect(try cache.send([read], on: redis) == [.integer(0)])
            #expect(try cache.send([read], on: redis) == [.integer(0)])
            for (write, expected) in [
                (["SADD", "warden:{chat:-100}:captcha_pending", "42"], RedisReply.integer(1)),
                (["DEL", "warden:{chat:-100}:captcha_pending"], .integer(0)),
                (["SADD", "warden:{chat:-100}:captcha_pending", "42"], .integer(1)),
                (["EXPIRE", "warden:{chat:-100}:captcha_pending", "1"], .integer(1)),
            ] {
                _ = try operatorCLI.pipeline([write])
                try await Self.sync(watcher, via: operatorCLI)
                #expect(try cache.send([read], on: redis) == [expected], "after \(write)")
            }
            // An expiry is a change too.
            try await Task.sleep(for: .milliseconds(1500))
            _ = try operatorCLI.call("EXISTS", "warden:{chat:-100}:captcha_pending")  // expires it now if not yet
            try await Self.sync(watcher, via: operatorCLI)
            #expect(try cache.send([read], on: redis) == [.integer(0)])
        }
    }

    @Test func aSmallHashIsReadWholeSoMembersNotAskedForYetCostNoRoundTrip() async throws {
        try await Self.withWatchedCache { cache, watcher, redis, operatorCLI, _ in
            let gbans = "warden:gbans"
            _ = try operatorCLI.call("HSET", gbans, "7", "{}", "8", "{\"reason\":\"spam\"}")
            try await Self.sync(watcher, via: operatorCLI)
            #expect(try cache.send([Self.argv("hget", gbans, "7")], on: redis) == [.bulk(Array("{}".utf8))])
            let before = redis.roundTrips
            // Other users, other commands: all from the snapshot.
            #expect(try cache.send([Self.argv("hget", gbans, "9")], on: redis) == [.null])
            #expect(try cache.send([Self.argv("hexists", gbans, "8")], on: redis) == [.integer(1)])
            #expect(try cache.send([Self.argv("hmget", gbans, "8", "1")], on: redis)[0].array?.last == .null)
            #expect(try cache.send([Self.argv("hlen", gbans)], on: redis) == [.integer(2)])
            #expect(try cache.send([Self.argv("hgetall", gbans)], on: redis)[0].array?.count == 4)
            // A missing key is kept as missing.
            let pending = "warden:{chat:-5}:captcha_pending"
            #expect(try cache.send([Self.argv("sismember", pending, "1")], on: redis) == [.integer(0)])
            #expect(redis.roundTrips == before + 1)
            #expect(try cache.send([Self.argv("smembers", pending)], on: redis) == [.array([])])
            #expect(try cache.send([Self.argv("hget", pending, "1")], on: redis) == [.null])
            #expect(redis.roundTrips == before + 1)
            // A write from elsewhere drops the snapshot.
            _ = try operatorCLI.call("HDEL", gbans, "7")
            try await Self.sync(watcher, via: operatorCLI)
            #expect(try cache.send([Self.argv("hget", gbans, "7")], on: redis) == [.null])
            #expect(redis.roundTrips == before + 2)
        }
    }

    @Test func aLargeHashIsCachedPerCommandNotReadWhole() async throws {
        try await Self.withWatchedCache { cache, watcher, redis, operatorCLI, _ in
            let gbans = "warden:gbans"
            let fields = (0...KeySnapshot.maxMembers).flatMap { ["\($0)", "{}"] }
            _ = try operatorCLI.call(["HSET", gbans].map { Array($0.utf8) } + fields.map { Array($0.utf8) })
            try await Self.sync(watcher, via: operatorCLI)
            #expect(try cache.send([Self.argv("hget", gbans, "1")], on: redis) == [.bulk(Array("{}".utf8))])
            let before = redis.roundTrips
            #expect(try cache.send([Self.argv("hget", gbans, "2")], on: redis) == [.bulk(Array("{}".utf8))])
            #expect(try cache.send([Self.argv("hget", gbans, "2")], on: redis) == [.bulk(Array("{}".utf8))])
            #expect(redis.roundTrips == before + 1, "one miss for the new field, then cached")
        }
    }

    @Test func aReadAnsweredAfterAnInvalidationIsNotKept() async throws {
        try await Self.withWatchedCache { cache, _, _, _, _ in
            let read = Self.argv("hget", Self.settings, "lang")
            let generation = try Self.sent(read, to: cache)
            cache.invalidate(key: Array(Self.settings.utf8))  // a write lands while the read is on the wire
            cache.store(.bulk(Array("en".utf8)), for: read, generation: generation)
            #expect(cache.lookup(read) != .hit(.bulk(Array("en".utf8))))
        }
    }

    @Test func aWriteToOneKeyDoesNotStopAReadOfAnotherBeingKept() async throws {
        try await Self.withWatchedCache { cache, _, _, _, _ in
            let read = Self.argv("hget", Self.settings, "lang")
            let otherChat = Array("warden:{chat:-200}:admins".utf8)
            let generation = try Self.sent(read, to: cache)
            cache.invalidate(key: otherChat)  // another chat's admin list changes while the read is on the wire
            cache.store(.bulk(Array("en".utf8)), for: read, generation: generation)
            #expect(cache.lookup(read) == .hit(.bulk(Array("en".utf8))))
            // The key itself written later, then a read sent before that write: not kept.
            let floodMax = Self.argv("hget", Self.settings, "flood.max")
            let again = try Self.sent(floodMax, to: cache)
            cache.invalidate(key: Array(Self.settings.utf8))
            cache.store(.bulk(Array("5".utf8)), for: floodMax, generation: again)
            #expect(cache.lookup(floodMax) != .hit(.bulk(Array("5".utf8))))
        }
    }

    @Test func aKeysStampChangesWithItsOwnWritesOnly() async throws {
        try await Self.withWatchedCache { cache, _, _, _, _ in
            let settings = Array(Self.settings.utf8)
            let other = Array("warden:{chat:-200}:admins".utf8)
            let before = try #require(cache.stamp(of: [settings]))
            cache.invalidate(key: other)
            #expect(cache.stamp(of: [settings]) == before)
            #expect(cache.stamp != nil && cache.stamp(of: [settings, other]) != before)
            cache.invalidate(key: settings)
            let written = try #require(cache.stamp(of: [settings]))
            #expect(written != before)
            // Past the record's size every key's stamp moves once, to be safe.
            Self.invalidateMoreThanRemembered(cache)
            #expect(cache.stamp(of: [settings]) != written)
            let emptied = cache.stamp(of: [settings])
            cache.setLive(true)  // everything dropped, as after a reconnect
            #expect(cache.stamp(of: [settings]) != emptied)
            cache.setLive(false)
            #expect(cache.stamp(of: [settings]) == nil)
        }
    }

    @Test func readsInFlightWhenTheInvalidationRecordIsEmptiedAreNotKept() async throws {
        try await Self.withWatchedCache { cache, _, _, _, _ in
            let read = Self.argv("hget", Self.settings, "lang")
            let generation = try Self.sent(read, to: cache)
            // More keys invalidated than remembered: whether this one was among them is no longer known.
            Self.invalidateMoreThanRemembered(cache)
            cache.store(.bulk(Array("en".utf8)), for: read, generation: generation)
            #expect(cache.lookup(read) != .hit(.bulk(Array("en".utf8))))
        }
    }

    @Test func aRedisRestartEmptiesTheCacheAndTheWatcherSubscribesAgainByItself() async throws {
        try await Self.withWatchedCache { cache, watcher, redis, _, server in
            let read = Self.argv("hget", Self.settings, "lang")
            _ = try cache.send([read], on: redis)
            #expect(cache.lookup(read) == .hit(.null))
            try await server.restart()
            // Dark from the moment the subscription broke; live again once subscribed anew.
            try await Self.waitUntil { watcher.subscriptions == 2 && cache.isLive }
            #expect(cache.lookup(read) != .hit(.null), "what was cached before the outage is gone")
        }
    }

    @Test func aStoppedWatcherLeavesEveryReadToRedis() async throws {
        try await Self.withWatchedCache { cache, watcher, redis, _, _ in
            await watcher.stop()
            let read = Self.argv("hget", Self.settings, "lang")
            _ = try cache.send([read], on: redis)
            #expect(cache.lookup(read) == .uncached(isWrite: false))
        }
    }

    @Test func notificationsAlreadyConfiguredAreKept() async throws {
        try await withRedisServer { server in
            let redis = try server.connect()
            _ = try redis.call("CONFIG", "SET", "notify-keyspace-events", "Elz")
            try KeyspaceWatcher.enableNotifications(redis)
            let flags = try redis.call("CONFIG", "GET", "notify-keyspace-events").array?.last?.string ?? ""
            for flag in "KElzg$hsxe" { #expect(flags.contains(flag), "\(flag) in \(flags)") }
        }
    }
}
