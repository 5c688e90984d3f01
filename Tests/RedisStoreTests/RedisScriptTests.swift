import RedisStore
import Testing
import WardenTestSupport

@Suite("Lua scripts via EVALSHA")
struct RedisScriptTests {
    @Test func sha1MatchesKnownVectors() {
        #expect(RedisScript("").sha1 == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(RedisScript("abc").sha1 == "a9993e364706816aba3e25717850c26c9cd0d89d")
    }

    @Test func evalSHAFallsBackOnNOSCRIPT() async throws {
        try await withRedisServer { server in
            let redis = try server.connect()
            let keys = RedisKeySchema.default
            let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
            let counter = keys.chat(-100123, "flood")
            #expect(
                try redis.call("SCRIPT", "LOAD", script.source).string == script.sha1,
                "local SHA-1 equals the server's"
            )
            _ = try redis.call("SCRIPT", "FLUSH")

            var trips = redis.roundTrips
            #expect(try redis.evalScript(script, keys: [counter], args: ["5"]) == .integer(5))
            #expect(redis.roundTrips == trips + 2, "NOSCRIPT, then EVAL")

            trips = redis.roundTrips
            #expect(try redis.evalScript(script, keys: [counter], args: ["2"]) == .integer(7))
            #expect(redis.roundTrips == trips + 1, "EVAL cached the script; EVALSHA hits")

            _ = try redis.call("SCRIPT", "FLUSH")
            #expect(try redis.evalScript(script, keys: [counter], args: [Array("3".utf8)]) == .integer(10))
        }
    }

    @Test func scriptErrorsComeBackAsErrorReplies() async throws {
        try await withRedisServer { server in
            let redis = try server.connect()
            let script = RedisScript("return redis.error_reply('BADPLUGIN nope')")
            let reply = try redis.evalScript(script)
            #expect(reply.errorMessage?.hasPrefix("BADPLUGIN") == true)
            #expect(throws: RedisError.self) { try reply.checked() }
        }
    }

    @Test func evalSHACommandPipelines() async throws {
        try await withRedisServer { server in
            let redis = try server.connect()
            let script = RedisScript("return #KEYS + #ARGV")
            _ = try redis.call("SCRIPT", "LOAD", script.source)
            let key = RedisKeySchema.default.global("k")
            let replies = try redis.pipeline([
                script.evalSHACommand(keys: [key], args: []), script.evalSHACommand(keys: [key, key], args: [[0]]),
            ])
            #expect(replies == [.integer(1), .integer(3)])
        }
    }
}
