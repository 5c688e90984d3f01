import Foundation
import LuaHost
import RedisStore
import Testing
import WardenTestSupport

@testable import WardenRuntime

@Suite("Read copies: the checks run on every message answered inside Lua, and never stale")
struct ReadCopyTests {
    static let gbans = "warden:gbans"
    static let pending = "warden:{chat:-100}:captcha_pending"
    static let settings = "warden:{chat:-100}:settings"

    /// `!<what> <member>` replies with what the plugin read.
    static let probe = (
        "probe",
        #"""
        local pending, gbans = "warden:{chat:-100}:captcha_pending", "warden:gbans"
        return { patterns = { "^!(%a+) ?(%S*)$" }, run = function(msg, m)
          if m[1] == "member" then return tostring(redis:sismember(pending, m[2])) end
          if m[1] == "gban" then return tostring(redis:hget(gbans, m[2])) end
          if m[1] == "listed" then return tostring(redis:hexists(gbans, m[2])) end
          if m[1] == "add" then return tostring(redis:sadd(pending, m[2])) end
          if m[1] == "stamp" then return tostring(redis:cache_stamp("warden:{chat:-100}:settings")) end
          if m[1] == "wrong" then return tostring(select(2, pcall(redis.hget, redis, pending, m[2]))) end
        end }
        """#
    )

    static func withProbe(
        _ body: (TestHost, RedisReadCache, KeyspaceWatcher, RedisConnection) async throws -> Void
    ) async throws {
        try await ReadCacheTests.withWatchedCache { cache, watcher, _, operatorCLI, server in
            let test = try TestHost(
                plugins: [probe],
                redisURL: server.url,
                configure: { $0.redisPrefix = "warden:" },
                adjust: { $0.readCache = cache }
            )
            try await body(test, cache, watcher, operatorCLI)
        }
    }

    /// Sends `!<text>` and returns the reply.
    static func ask(_ test: TestHost, _ text: String) -> String? {
        let before = test.replies.count
        test.send(Fixture.message("!" + text))
        return test.replies.count == before + 1 ? test.replies.last : nil
    }

    static func cacheCalls(_ cache: RedisReadCache) -> Int { cache.counts.hits + cache.counts.misses }

    @Test func membersOfAKeyReadOnceAreAnsweredInsideLua() async throws {
        try await Self.withProbe { test, cache, watcher, operatorCLI in
            _ = try operatorCLI.call("HSET", Self.gbans, "7", "{}")
            try await ReadCacheTests.sync(watcher, via: operatorCLI)
            #expect(Self.ask(test, "gban 7") == "{}")
            let calls = Self.cacheCalls(cache)
            // Other members and other commands of the same key: from the state's copy.
            #expect(Self.ask(test, "gban 8") == "nil")
            #expect(Self.ask(test, "listed 7") == "true")
            #expect(Self.ask(test, "listed 8") == "false")
            #expect(Self.ask(test, "gban 7") == "{}")
            #expect(Self.cacheCalls(cache) == calls, "no read reached the host")
            #expect(test.host.stats.readCopyAnswers == 4)
            // A missing key is copied too, and a read of another type's command still gets Redis's error.
            #expect(Self.ask(test, "member 42") == "false")
            #expect(Self.ask(test, "member 43") == "false")
            #expect(Self.ask(test, "wrong 42") == "nil", "a missing key is of no type")
            _ = try operatorCLI.call("SADD", Self.pending, "1")
            try await ReadCacheTests.sync(watcher, via: operatorCLI)
            #expect(Self.ask(test, "member 1") == "true")
            #expect(Self.ask(test, "wrong 1")?.contains("WRONGTYPE") == true)
        }
    }

    @Test func aPluginsOwnWriteIsSeenByItsNextRead() async throws {
        try await Self.withProbe { test, _, _, _ in
            #expect(Self.ask(test, "member 42") == "false")
            #expect(Self.ask(test, "member 42") == "false")
            // No waiting for Redis's notification: the write moves the generation the copy is checked against.
            #expect(Self.ask(test, "add 42") == "1")
            #expect(Self.ask(test, "member 42") == "true")
        }
    }

    @Test func aWriteFromElsewhereIsSeenOnceRedisNotifiesIt() async throws {
        try await Self.withProbe { test, _, watcher, operatorCLI in
            #expect(Self.ask(test, "gban 9") == "nil")
            for (write, expected) in [
                (["HSET", Self.gbans, "9", "spam"], "spam"), (["HSET", Self.gbans, "9", "raid"], "raid"),
                (["DEL", Self.gbans], "nil"),
            ] {
                _ = try operatorCLI.pipeline([write])
                try await ReadCacheTests.sync(watcher, via: operatorCLI)
                #expect(Self.ask(test, "gban 9") == expected, "after \(write)")
            }
        }
    }

    @Test func aStampIsKeptUntilItsKeyChanges() async throws {
        try await Self.withProbe { test, cache, watcher, operatorCLI in
            let first = try #require(Self.ask(test, "stamp"))
            #expect(first != "nil")
            cache.invalidate(key: Array("warden:{chat:-200}:settings".utf8))  // another chat's
            #expect(Self.ask(test, "stamp") == first)
            #expect(test.host.stats.readCopyAnswers == 1)
            _ = try operatorCLI.call("HSET", Self.settings, "lang", "de")
            try await ReadCacheTests.sync(watcher, via: operatorCLI)
            let second = try #require(Self.ask(test, "stamp"))
            #expect(second != first && second != "nil")
        }
    }

    @Test func whileTheCacheIsDarkEveryReadGoesToRedisAndNothingIsKept() async throws {
        try await Self.withProbe { test, cache, watcher, operatorCLI in
            _ = try operatorCLI.call("HSET", Self.gbans, "7", "old")
            try await ReadCacheTests.sync(watcher, via: operatorCLI)
            #expect(Self.ask(test, "gban 7") == "old")
            #expect(Self.ask(test, "stamp") != "nil")
            cache.setLive(false)  // as when the watcher loses its subscription: notifications may be missed
            _ = try operatorCLI.call("HSET", Self.gbans, "7", "new")
            #expect(Self.ask(test, "gban 7") == "new")
            #expect(Self.ask(test, "stamp") == "nil")
            _ = try operatorCLI.call("HSET", Self.gbans, "7", "newer")
            #expect(Self.ask(test, "gban 7") == "newer", "nothing was copied while dark")
            cache.setLive(true)
        }
    }

    @Test func changesListTheKeysWrittenSinceAGenerationUntilTooMuchHasChanged() {
        let cache = RedisReadCache(prefix: "warden:")
        cache.setLive(true)
        let start = cache.changes(since: nil)
        #expect(start.keys == nil, "a copy taken before anything was asked drops everything")
        cache.invalidate(key: Array(Self.gbans.utf8))
        cache.invalidate(key: Array(Self.settings.utf8))
        let changed = cache.changes(since: start.generation)
        #expect(Set(changed.keys ?? []) == [Array(Self.gbans.utf8), Array(Self.settings.utf8)])
        #expect(cache.changes(since: changed.generation).keys == [])
        cache.setLive(true)  // everything dropped
        #expect(cache.changes(since: changed.generation).keys == nil)
        let cleared = cache.changes(since: nil).generation
        for chat in 0...(2 * RedisReadCache.changesKept) {
            cache.invalidate(key: Array("warden:{chat:\(chat)}:admins".utf8))
        }
        #expect(cache.changes(since: cleared).keys == nil, "too far behind: drop everything")
        let recent = cache.changes(since: cache.changes(since: nil).generation - 3).keys
        #expect(recent?.count == 3)
    }
}
