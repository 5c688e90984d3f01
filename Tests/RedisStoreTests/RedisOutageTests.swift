import RedisStore
import Testing
import WardenTestSupport

@Suite("Outages: restart, down server, frozen server")
struct RedisOutageTests {
    @Test func reconnectsAfterServerRestart() async throws {
        try await withRedisServer { server in
            let redis = try server.connect()
            _ = try redis.call("SET", "before", "1")
            try await server.restart()

            // The old socket is dead; the first command may fail on it, but never the second.
            var reply = try? redis.call("PING")
            if reply == nil { reply = try redis.call("PING") }
            #expect(reply == .status("PONG"))
            #expect(redis.connectionCount == 2)
            #expect(try redis.call("GET", "before") == .null, "the restarted server starts empty")
        }
    }

    @Test func downServerFailsFastAndBacksOff() async throws {
        try await withRedisServer { server in
            let redis = try server.connect(
                connectTimeout: .seconds(1),
                reconnectPolicy: RedisReconnectPolicy(initialDelay: .milliseconds(300), maxDelay: .seconds(2))
            )
            server.stop()

            let clock = ContinuousClock()
            var errors: [RedisError] = []
            let elapsed = clock.measure {
                for _ in 0..<50 {
                    do throws(RedisError) { _ = try redis.call("PING") } catch { errors.append(error) }
                }
            }
            #expect(errors.count == 50)
            #expect(errors.allSatisfy { $0.shortDescription == "connection" })
            #expect(elapsed < .seconds(1), "no call may hang while the server is down")
            // One failed attempt armed the backoff; the calls after it did not reconnect.
            #expect(redis.reconnectBackoff.consecutiveFailures == 1)
            #expect(errors.last?.description.contains("next attempt in") == true)
        }
    }

    @Test func pausedServerTimesOutInsteadOfHanging() async throws {
        try await withRedisServer { server in
            let redis = try server.connect(commandTimeout: .milliseconds(200))
            _ = try redis.call("PING")
            server.pause()
            let clock = ContinuousClock()
            var caught: RedisError?
            let elapsed = clock.measure {
                do throws(RedisError) { _ = try redis.call("PING") } catch { caught = error }
            }
            server.resume()
            guard case .timeout = caught else {
                Issue.record("expected .timeout, got \(String(describing: caught))")
                return
            }
            #expect(elapsed < .seconds(2))
            #expect(!redis.isConnected, "a timed-out context is dropped: its reply may still arrive")
            #expect(try redis.call("PING") == .status("PONG"))
            #expect(redis.connectionCount == 2)
        }
    }

    @Test func writingToAClosedSocketIsAnErrorNotSIGPIPE() async throws {
        try await withRedisServer { server in
            let redis = try server.connect()
            _ = try redis.call("PING")
            server.stop()
            // Several MB cannot fit in the socket buffer, so hiredis keeps writing after the RST.
            let big = [UInt8](repeating: 7, count: 8 << 20)
            let error = #expect(throws: RedisError.self) { try redis.call([Array("SET".utf8), Array("k".utf8), big]) }
            #expect(error?.shortDescription == "connection")
        }
    }

    @Test func connectToClosedPortFailsWithConnectionError() async throws {
        let server = try await RedisTestServer.start()
        let port = server.port
        server.stop()
        let clock = ContinuousClock()
        var caught: RedisError?
        let elapsed = clock.measure {
            do throws(RedisError) { _ = try RedisConnection(url: "redis://:pw@127.0.0.1:\(port)") } catch {
                caught = error
            }
        }
        guard case .connection(let errno, let message) = caught else {
            Issue.record("expected .connection, got \(String(describing: caught))")
            return
        }
        #expect(errno != 0)
        #expect(message.contains("127.0.0.1:\(port)"))
        #expect(!message.contains("pw@"), "the password is redacted")
        #expect(elapsed < .seconds(1))
    }
}
