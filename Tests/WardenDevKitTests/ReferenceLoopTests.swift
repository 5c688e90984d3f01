import Testing
import WardenJSON

@testable import WardenDevKit

/// The reference loop tells which machine a bench's figures came from, so every bench report carries it.
struct ReferenceLoopTests {
    @Test func runsInABareStateUnderTheCountHookAndIsReported() throws {
        // A bare state, as the bench makes it: the loop must need no library.
        let milliseconds = try ReferenceLoop.milliseconds(runs: 1)
        #expect(milliseconds > 0 && milliseconds < 60_000)
        var report = BenchReport()
        report.referenceLoopMilliseconds = (123.4, 150.0)
        #expect(report.table.contains("reference loop (one core)               123.4 ms before, 150.0 ms after"))
        #expect(report.json["reference_loop_ms"]?["before"]?.double == 123.4)
        #expect(report.json["reference_loop_ms"]?["after"]?.double == 150.0)
    }
}
