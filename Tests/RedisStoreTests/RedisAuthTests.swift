import RedisStore
import Testing
import WardenTestSupport

@Suite("AUTH")
struct RedisAuthTests {
    @Test func passwordAuthWorks() async throws {
        try await withRedisServer(password: "s3cret/p@ss") { server in
            let redis = try RedisConnection(url: server.url)
            #expect(redis.roundTrips == 0, "the handshake is not counted")
            #expect(try redis.call("PING") == .status("PONG"))
            let db5 = try RedisConnection(url: server.url + "/5")
            #expect(try db5.call("CLIENT", "INFO").string?.contains(" db=5 ") == true, "AUTH and SELECT both applied")
        }
    }

    @Test func wrongPasswordGivesAClearErrorWithoutTheSecret() async throws {
        try await withRedisServer(password: "right-one") { server in
            let url = "redis://:wrong-one@127.0.0.1:\(server.port)"
            let error = #expect(throws: RedisError.self) { try RedisConnection(url: url) }
            guard case .authentication(let text) = error else {
                Issue.record("expected .authentication, got \(String(describing: error))")
                return
            }
            #expect(text.hasPrefix("WRONGPASS"))
            #expect(error?.shortDescription == "auth")
            #expect(error?.description.contains("wrong-one") == false)
        }
    }

    @Test func missingPasswordSurfacesNOAUTH() async throws {
        try await withRedisServer(password: "needed") { server in
            let redis = try RedisConnection(url: "redis://127.0.0.1:\(server.port)")
            let error = #expect(throws: RedisError.self) { try redis.call("GET", "x") }
            #expect(error?.serverErrorCode == "NOAUTH")
        }
    }

    @Test func aclUserAuthWorks() async throws {
        try await withRedisServer(password: "admin") { server in
            let admin = try server.connect()
            _ = try admin.call("ACL", "SETUSER", "warden", "on", ">bot:pw", "~warden:*", "+@all")
            let bot = try RedisConnection(url: "redis://warden:bot%3Apw@127.0.0.1:\(server.port)")
            #expect(try bot.call("SET", "warden:x", "1") == .status("OK"))
            #expect(try bot.send("SET", "other", "1").errorMessage?.hasPrefix("NOPERM") == true)
            #expect(throws: RedisError.self) {
                try RedisConnection(url: "redis://warden:nope@127.0.0.1:\(server.port)")
            }
        }
    }
}
