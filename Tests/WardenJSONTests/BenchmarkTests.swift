import Testing
import WardenJSON

@Suite struct BenchmarkTests {
    /// Reports throughput only; a timing assertion would be flaky on shared, noisy machines.
    /// Several rounds are run and the best printed, because a single round swings with the scheduler.
    @Test func parsingATypicalUpdateTenThousandTimesCompletes() throws {
        let bytes = Array(telegramUpdate.utf8)
        let iterations = 10_000
        let update = try JSONValue(parsing: bytes)
        var checksum: Int64 = 0
        var bestParse = Duration.seconds(1_000)
        var bestSerialize = Duration.seconds(1_000)
        let clock = ContinuousClock()
        for _ in 0..<5 {
            bestParse = min(
                bestParse,
                try clock.measure {
                    for _ in 0..<iterations { checksum &+= try JSONValue(parsing: bytes)["update_id"]?.int ?? 0 }
                }
            )
            bestSerialize = min(
                bestSerialize,
                clock.measure {
                    for _ in 0..<iterations { checksum &+= Int64(update.serialized().count) }
                }
            )
        }
        #expect(checksum == 5 * Int64(iterations) * (912_345_678 + Int64(update.serialized().count)))
        print(
            "WardenJSON: \(bytes.count)-byte update x\(iterations), best of 5: "
                + "parse \(rate(iterations, bestParse)) updates/s, serialize \(rate(iterations, bestSerialize)) updates/s"
        )
    }

    private func rate(_ iterations: Int, _ elapsed: Duration) -> Int {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Int(Double(iterations) / seconds)
    }
}
