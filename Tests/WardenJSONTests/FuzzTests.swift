import Testing
import WardenJSON
import WardenTestSupport

@Suite struct FuzzTests {
    @Test func mutatedAndRandomBytesNeverCrashAndAcceptedValuesRoundTrip() {
        let accepted = fuzz(seed: 0x5EED_F022, iterations: 20_000)
        // Guards against mutations so destructive that the round-trip half never runs.
        #expect(accepted > 1000)
    }
}

/// Feeds mutated valid documents and random bytes to the parser; returns how many parsed.
///
/// Rejection is fine; a crash, or an accepted value that does not survive serialize-then-parse, is not.
func fuzz(seed: UInt64, iterations: Int) -> Int {
    var rng = SeededGenerator(seed: seed)
    var generator = ValueGenerator(rng: SeededGenerator(seed: seed &+ 1))
    var corpus: [[UInt8]] = [Array(telegramUpdate.utf8)]
    for _ in 0..<64 { corpus.append(generator.value().serialized()) }
    let interesting =
        Array(#"{}[],:"\-+.eE0123456789 tfnulr"#.utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC3, 0xED, 0xF0, 0xFF]
    var accepted = 0
    for iteration in 0..<iterations {
        var bytes = corpus.randomElement(using: &rng)!
        for _ in 0..<Int.random(in: 1...3, using: &rng) { mutate(&bytes, interesting, &rng) }
        guard let value = try? JSONValue(parsing: bytes) else { continue }
        accepted += 1
        let again = try? JSONValue(parsing: value.serialized())
        if again != value || again?.serialized(sortedKeys: true) != value.serialized(sortedKeys: true) {
            Issue.record("seed \(seed) iteration \(iteration): accepted value did not round-trip: \(bytes)")
            return accepted
        }
    }
    return accepted
}

private func mutate(_ bytes: inout [UInt8], _ interesting: [UInt8], _ rng: inout SeededGenerator) {
    switch Int.random(in: 0..<7, using: &rng) {
    case 0 where !bytes.isEmpty:
        bytes = Array(bytes[..<Int.random(in: 0..<bytes.count, using: &rng)])
    case 1 where !bytes.isEmpty:
        bytes[Int.random(in: 0..<bytes.count, using: &rng)] = interesting.randomElement(using: &rng)!
    case 2:
        bytes.insert(interesting.randomElement(using: &rng)!, at: Int.random(in: 0...bytes.count, using: &rng))
    case 3 where bytes.count > 1:
        let start = Int.random(in: 0..<bytes.count, using: &rng)
        bytes.removeSubrange(start..<min(bytes.count, start + Int.random(in: 1...8, using: &rng)))
    case 4 where !bytes.isEmpty:
        bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
    case 5:
        bytes = (0..<Int.random(in: 0..<40, using: &rng)).map { _ in interesting.randomElement(using: &rng)! }
    default:
        bytes = (0..<Int.random(in: 0..<40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }
}
