import AsyncHTTPClient
import TelegramSimulator
import Testing
import WardenJSON

@Suite("Injected faults")
struct FaultTests {
    @Test func internalErrorsForTheNextRequestsOfAMethod() async throws {
        try await withSimulator { _, control, bot in
            try await control.fault(.internalError, count: 2, methods: ["getMe"])
            let first = try await bot.call("getMe")
            let other = try await bot.call("getWebhookInfo")
            let second = try await bot.call("getMe")
            let third = try await bot.call("getMe")
            #expect(first.status == 500)
            #expect(first.body == ["ok": false, "error_code": 500, "description": "Internal Server Error"])
            #expect(other.ok, "other methods are unaffected")
            #expect(second.status == 500)
            #expect(third.ok, "the fault is spent")
        }
    }

    @Test func tooManyRequestsStormWithRetryAfter() async throws {
        try await withSimulator { _, control, bot in
            try await control.fault(.tooManyRequests, count: 3, retryAfter: 7)
            for _ in 0..<3 {
                let answer = try await bot.call("getMe")
                #expect(answer.status == 429)
                #expect(answer.body["parameters"]?["retry_after"] == 7)
                #expect(answer.description == "Too Many Requests: retry after 7")
            }
            let recovered = try await bot.call("getMe")
            #expect(recovered.ok)
        }
    }

    @Test func droppedConnectionsAndTimeoutsSurfaceAsTransportErrors() async throws {
        try await withSimulator { _, control, bot in
            try await control.fault(.drop)
            await #expect(throws: (any Error).self) { _ = try await bot.call("getMe") }
            try await control.fault(.timeout, seconds: 0.6)
            await #expect(throws: (any Error).self) {
                _ = try await bot.send("getMe", contentType: "application/json", body: Array("{}".utf8), timeout: 0.3)
            }
            // A hung call is recorded when the hang ends.
            try await eventually { try await control.calls(method: "getMe").count == 2 }
            let calls = try await control.calls(method: "getMe")
            #expect(calls.count == 2, "faulted calls are recorded")
            try await control.fault(.internalError, count: 5)
            try await control.clearFaults()
            let fine = try await bot.call("getMe")
            #expect(fine.ok)
        }
    }

    @Test func faultsCanBeDisabled() async throws {
        try await withSimulator(.init(rateLimits: nil, faultsEnabled: false)) { _, control, _ in
            await #expect(throws: SimulatorControlError.self) { try await control.fault(.internalError) }
        }
    }
}
