import Foundation
import Logging
import Testing
import WardenDevKit

/// The fault run of issue 7 against the real `warden` binary: a short one always, the full one
/// (10,000 updates, 5 SIGKILLs) with `WARDEN_LONG_TESTS=1`.
@Suite(.serialized) struct FaultRunTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let binary = root.appendingPathComponent(".build/debug/warden").path
    static let long = ProcessInfo.processInfo.environment["WARDEN_LONG_TESTS"] == "1"

    static func run(updates: Int, kills: Int) async throws -> FaultRunReport {
        var options = FaultRun.Options(binary: binary)
        options.updates = updates
        options.kills = kills
        options.pluginDirectory = root.appendingPathComponent("plugins").path
        return try await FaultRun(options: options, logger: Logger(label: "faults")).run { _ in }
    }

    static func expectNothingLostNothingTwice(_ report: FaultRunReport, kills: Int) {
        #expect(report.lost == 0, "\(report.table)")
        #expect(report.repliesTwice == 0 && report.bansTwice == 0 && report.deletedTwice == 0, "\(report.table)")
        #expect(report.kills == kills && report.redisRestarts == 1)
        #expect(report.faultsInjected.values.reduce(0, +) > 0)
        // Only requests in flight at a kill may go missing (an action is claimed just before it is sent).
        #expect(report.repliesExpected - report.repliesSent <= 8 * kills, "\(report.table)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary)))
    func killsARedisRestartAndTelegramErrorsLoseNothingAndRepeatNothing() async throws {
        let report = try await Self.run(updates: 600, kills: 2)
        Self.expectNothingLostNothingTwice(report, kills: 2)
        #expect(report.dispatched == report.updatesInjected)
    }

    @Test(.enabled(if: long && FileManager.default.isExecutableFile(atPath: binary)))
    func tenThousandUpdatesThroughFiveKills() async throws {
        let report = try await Self.run(updates: 10_000, kills: 5)
        print("Faults\n" + report.table)
        Self.expectNothingLostNothingTwice(report, kills: 5)
    }
}
