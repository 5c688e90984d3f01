import Testing
import WardenJSON
import WardenTestSupport

@Suite struct NumberTests {
    @Test(
        "integers at the Int64 and 2^53 boundaries stay exact",
        arguments: [
            "9223372036854775807", "-9223372036854775808", "9007199254740993", "-9007199254740993",
            "-1001234567890123", "0", "-1", "123456789012345678", "1234567890123456789",
        ]
    )
    func int64BoundariesAreExact(_ text: String) throws {
        let value = try JSONValue(parsing: text)
        #expect(value == .int(Int64(text)!))
        #expect(value.jsonString == text)
    }

    @Test func integersBeyondInt64BecomeDoubles() throws {
        #expect(try JSONValue(parsing: "9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try JSONValue(parsing: "-9223372036854775809") == .double(-9_223_372_036_854_775_809))
        #expect(try JSONValue(parsing: "123456789012345678901234567890") == .double(1.2345678901234568e29))
    }

    @Test func doublesAreCorrectlyRounded() throws {
        #expect(try JSONValue(parsing: "0.1") == .double(0.1))
        #expect(try JSONValue(parsing: "9007199254740993.0") == .double(9_007_199_254_740_992))
        #expect(try JSONValue(parsing: "2.2250738585072011e-308") == .double(2.2250738585072011e-308))
        #expect(try JSONValue(parsing: "1E2") == .double(100))
        #expect(try JSONValue(parsing: "-1.5e-3") == .double(-0.0015))
        #expect(try JSONValue(parsing: "1e-400") == .double(0))
        #expect(try JSONValue(parsing: "-0.0").double?.sign == .minus)
    }

    @Test func doublesRoundTripBitForBit() throws {
        var rng = SeededGenerator(seed: 53)
        var samples: [Double] = [5e-324, .greatestFiniteMagnitude, -.leastNormalMagnitude, 0.1 + 0.2, 1e21, 1e-7, -0.0]
        while samples.count < 5000 {
            let candidate = Double(bitPattern: rng.next())
            if candidate.isFinite { samples.append(candidate) }
        }
        for sample in samples {
            let parsed = try JSONValue(parsing: JSONValue.double(sample).serialized())
            #expect(parsed.double?.bitPattern == sample.bitPattern, "\(sample)")
        }
    }

    @Test(
        "malformed numbers are rejected",
        arguments: ["01", "-", "1.", ".5", "+1", "1e", "1e+", "-01", "1.e5", "0x10"]
    )
    func malformedNumbersThrow(_ text: String) {
        #expect(parseFailure(text) != nil)
    }

    @Test func numbersOutsideDoubleRangeThrow() {
        #expect(parseFailure("1e400")?.kind == .numberOutOfRange)
        #expect(parseFailure("[0, -1e99999]")?.offset == 4)
    }
}
