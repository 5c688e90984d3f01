import RedisStore
import Testing
import WardenTestSupport

@Suite("RedisConnection against a real redis-server")
struct RedisConnectionTests {
    @Test func binaryValuesWithNULBytesRoundTrip() async throws {
        try await withRedisServer { server in
            let redis = try server.connect()
            let value: [UInt8] = [0, 1, 2, 0, 255, 254, 0x0d, 0x0a, 0, 0xc3, 0x28]
            let key: [UInt8] = Array("bin\0key".utf8)
            #expect(try redis.call([Array("SET".utf8), key, value]) == .status("OK"))
            let reply = try redis.call([Array("GET".utf8), key])
            #expect(reply == .bulk(value))
            #expect(reply.string == nil, "invalid UTF-8 must not decode as text")
            #expect(try redis.call([Array("STRLEN".utf8), key]) == .integer(Int64(value.count)))
            #expect(try redis.call("SET", "empty", "") == .status("OK"))
            #expect(try redis.call("GET", "empty") == .bulk([]))
            #expect(try redis.call([Array("ECHO".utf8), []]) == .bulk([]))
            let large = (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            _ = try redis.call([Array("SET".utf8), Array("large".utf8), large])
            #expect(try redis.call("GET", "large") == .bulk(large))
        }
    }

    @Test func sixtyFourBitIntegersRoundTrip() async throws {
        try await withRedisServer { server in
            let redis = try server.connect()
            _ = try redis.call("SET", "n", String(Int64.max - 1))
            #expect(try redis.call("INCR", "n") == .integer(Int64.max))
            #expect(try redis.send("INCR", "n").errorMessage?.contains("overflow") == true)
            _ = try redis.call("SET", "m", String(Int64.min + 1))
            #expect(try redis.call("DECR", "m") == .integer(Int64.min))
            #expect(try redis.call("GET", "m").int == Int64.min)
        }
    }

    @Test func everyReplyType() async throws {
        try await withRedisServer { server in
            let redis = try server.connect()
            #expect(try redis.send("PING") == .status("PONG"))
            #expect(try redis.send("PING").string == "PONG")
            #expect(try redis.send("RPUSH", "list", "a", "b") == .integer(2))
            #expect(try redis.send("GET", "missing") == .null)
            #expect(try redis.send("GET", "missing").isNull)
            #expect(
                try redis.send("LRANGE", "list", "0", "-1") == .array([.bulk(Array("a".utf8)), .bulk(Array("b".utf8))])
            )
            #expect(try redis.send("LRANGE", "nothing", "0", "-1") == .array([]))
            let nested = try redis.send("EVAL", "return {1, 'x', {2, {}}, redis.status_reply('OK')}", "0")
            #expect(
                nested
                    == .array([.integer(1), .bulk(Array("x".utf8)), .array([.integer(2), .array([])]), .status("OK")])
            )
            #expect(try redis.send("LPOP", "list").string == "a")
            #expect(try redis.send("BLPOP", "nothing", "0.01") == .null)
            #expect(try redis.send("GET", "list").errorMessage?.hasPrefix("WRONGTYPE") == true)
        }
    }

    @Test func serverErrorIsAValueForSendAndThrownByCall() async throws {
        try await withRedisServer { server in
            let redis = try server.connect()
            let reply = try redis.send("NOSUCHCOMMAND", "x")
            #expect(reply.errorMessage?.hasPrefix("ERR unknown command") == true)
            let error = #expect(throws: RedisError.self) { try redis.call("NOSUCHCOMMAND") }
            guard case .server(let text) = error else {
                Issue.record("expected .server, got \(String(describing: error))")
                return
            }
            #expect(text.hasPrefix("ERR"))
            #expect(error?.shortDescription == "server")
            #expect(error?.description.contains("server replied") == true)
            _ = try redis.call("SET", "k", "v")
            #expect(error?.serverErrorCode == "ERR")
            #expect((try? redis.call("INCR", "k")) == nil)
            #expect(try redis.call("GET", "k").string == "v", "the connection stays usable after error replies")
            #expect(redis.connectionCount == 1)
        }
    }

    @Test func pipelineRepliesInOrderInOneRoundTrip() async throws {
        try await withRedisServer { server in
            let redis = try server.connect()
            let before = redis.roundTrips
            let replies = try redis.pipeline([
                ["SET", "a", "1"], ["INCR", "a"], ["HSET", "a", "f", "v"], ["INCRBY", "a", "40"], ["GET", "a"],
            ])
            #expect(redis.roundTrips == before + 1)
            #expect(replies.count == 5)
            #expect(replies[0] == .status("OK"))
            #expect(replies[1] == .integer(2))
            #expect(replies[2].errorMessage?.hasPrefix("WRONGTYPE") == true)
            #expect(replies[3] == .integer(42))
            #expect(replies[4].int == 42)
            #expect(try redis.pipeline([[[UInt8]]]()) == [])
            #expect(redis.roundTrips == before + 1, "an empty pipeline costs nothing")

            let many = try redis.pipeline((0..<1000).map { ["INCR", "counter\($0 % 7)"] })
            #expect(many.count == 1000)
            #expect(many.last == .integer(Int64((0..<1000).filter { $0 % 7 == 999 % 7 }.count)))
            #expect(redis.roundTrips == before + 2)
        }
    }

    @Test func queuedCommandsRideWithTheNextRoundTripAndRunFirst() async throws {
        try await withRedisServer { server in
            let redis = try server.connect()
            let observer = try server.connect()
            let before = redis.roundTrips
            try redis.queueForNextRoundTrip([
                [Array("SET".utf8), Array("q".utf8), Array("1".utf8)],
                [Array("HSET".utf8), Array("q".utf8), Array("f".utf8), Array("v".utf8)],
            ])
            #expect(redis.roundTrips == before, "queuing costs no round trip")
            #expect(try observer.call("EXISTS", "q") == .integer(0), "nothing is sent before the next round trip")
            let replies = try redis.pipeline([["INCR", "q"], ["GET", "q"]])
            #expect(
                replies == [.integer(2), .bulk(Array("2".utf8))],
                "only this round trip's replies, after the queued ran"
            )
            #expect(redis.roundTrips == before + 1)
            #expect(redis.queuedCommandErrors == 1, "HSET on a string: nobody waited for it, so it is counted")
            #expect(try redis.call("GET", "q").int == 2)
        }
    }

    @Test func queuedCommandsAreForgottenWithABrokenConnection() async throws {
        try await withRedisServer { server in
            let redis = try server.connect()
            let admin = try server.connect()
            let id = try redis.call("CLIENT", "ID").int!
            try redis.queueForNextRoundTrip([[Array("SET".utf8), Array("lost".utf8), Array("1".utf8)]])
            _ = try admin.call("CLIENT", "KILL", "ID", String(id))
            #expect(throws: RedisError.self) { try redis.call("PING") }
            // The reconnected context reads its own replies, not the lost queue's.
            #expect(try redis.call("ECHO", "fresh") == .bulk(Array("fresh".utf8)))
            #expect(
                try redis.pipeline([["SET", "k", "v"], ["GET", "k"]]) == [.status("OK"), .bulk(Array("v".utf8))]
            )
        }
    }

    @Test func emptyCommandIsRejectedWithoutDroppingTheConnection() async throws {
        try await withRedisServer { server in
            let redis = try server.connect()
            #expect(throws: RedisError.self) { try redis.send([[UInt8]]()) }
            #expect(try redis.send("PING") == .status("PONG"))
            #expect(redis.connectionCount == 1)
        }
    }

    @Test func selectsTheDatabaseFromTheURL() async throws {
        try await withRedisServer { server in
            let db3 = try RedisConnection(url: server.url + "/3")
            _ = try db3.call("SET", "where", "three")
            let db0 = try server.connect()
            #expect(try db0.call("GET", "where") == .null)
            #expect(try db0.call("SELECT", "3") == .status("OK"))
            #expect(try db0.call("GET", "where").string == "three")
            #expect(throws: RedisError.self) { try RedisConnection(url: server.url + "/99999") }
        }
    }

    @Test func connectsOverTheUnixSocket() async throws {
        try await withRedisServer { server in
            let redis = try RedisConnection(url: "unix://\(server.unixSocketPath)?db=2")
            #expect(try redis.call("PING") == .status("PONG"))
            _ = try redis.call("SET", "via", "unix")
            let tcp = try RedisConnection(url: server.url + "/2")
            #expect(try tcp.call("GET", "via").string == "unix")
        }
    }

    @Test func closeIsFinalAndIdempotent() async throws {
        try await withRedisServer { server in
            let redis = try server.connect()
            redis.close()
            redis.close()
            #expect(!redis.isConnected)
            #expect(throws: RedisError.closed) { try redis.send("PING") }
        }
    }
}
