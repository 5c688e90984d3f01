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

    static func run(updates: Int, kills: Int, redisRestarts: Int = 1) async throws -> FaultRunReport {
        var options = FaultRun.Options(binary: binary)
        options.updates = updates
        options.kills = kills
        options.redisRestarts = redisRestarts
        options.pluginDirectory = root.appendingPathComponent("plugins").path
        return try await FaultRun(options: options, logger: Logger(label: "faults")).run { _ in }
    }

    /// Every update dispatched, nothing done twice. Actions a kill catches after their first attempt (in
    /// flight, or waiting to be retried after a 429 or 5xx) are lost, never repeated: they are not checked.
    static func expectNothingLostNothingTwice(_ report: FaultRunReport, kills: Int, redisRestarts: Int) {
        #expect(report.lost == 0 && report.dispatched == report.updatesInjected, "\(report.table)")
        #expect(report.repliesTwice == 0 && report.bansTwice == 0 && report.deletedTwice == 0, "\(report.table)")
        #expect(report.kills == kills && report.redisRestarts == redisRestarts)
        #expect(report.faultsInjected.values.reduce(0, +) > 0)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary)))
    func killsARedisRestartAndTelegramErrorsLoseNoUpdateAndRepeatNothing() async throws {
        let report = try await Self.run(updates: 600, kills: 2)
        Self.expectNothingLostNothingTwice(report, kills: 2, redisRestarts: 1)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary)))
    func withoutKillsEveryActionIsMadeExactlyOnceThroughRedisAndTelegramFaults() async throws {
        let report = try await Self.run(updates: 400, kills: 0)
        Self.expectNothingLostNothingTwice(report, kills: 0, redisRestarts: 1)
        #expect(report.repliesSent == report.repliesExpected, "\(report.table)")
        #expect(report.bansMade == report.bansExpected, "\(report.table)")
        #expect(report.spamDeleted == report.spamPosted && report.spamLeft == 0, "\(report.table)")
    }

    @Test(.enabled(if: long && FileManager.default.isExecutableFile(atPath: binary)))
    func tenThousandUpdatesThroughFiveKills() async throws {
        let report = try await Self.run(updates: 10_000, kills: 5)
        print("Faults\n" + report.table)
        Self.expectNothingLostNothingTwice(report, kills: 5, redisRestarts: 1)
    }
}
