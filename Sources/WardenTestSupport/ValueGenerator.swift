public import WardenJSON

/// Builds random values that cover every case, awkward strings and full-range numbers.
public struct ValueGenerator {
    public var rng: SeededGenerator

    public init(rng: SeededGenerator) { self.rng = rng }

    public mutating func value(depth: Int = 0) -> JSONValue {
        let choice = depth >= 4 ? Int.random(in: 0..<5, using: &rng) : Int.random(in: 0..<7, using: &rng)
        switch choice {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .int(integer())
        case 3: return .double(double())
        case 4: return .string(string())
        case 5:
            return .array((0..<Int.random(in: 0..<5, using: &rng)).map { _ in value(depth: depth + 1) })
        default:
            var object: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0..<5, using: &rng) { object[string()] = value(depth: depth + 1) }
            return .object(object)
        }
    }

    public mutating func integer() -> Int64 {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return Int64.random(in: -1000...1000, using: &rng)
        case 1:
            return [Int64.min, .max, .min + 1, .max - 1, 1 << 53, (1 << 53) + 1][Int.random(in: 0..<6, using: &rng)]
        default: return Int64(bitPattern: rng.next())
        }
    }

    public mutating func double() -> Double {
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: return Double(Int.random(in: -100...100, using: &rng)) / 8
        case 1: return Double.random(in: -1e6...1e6, using: &rng)
        default:
            while true {
                let candidate = Double(bitPattern: rng.next())
                if candidate.isFinite { return candidate }
            }
        }
    }

    public mutating func string() -> String {
        let pool: [Unicode.Scalar] = [
            "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1F}", "\u{7F}",
            "é", "Ж", "€", "\u{2028}", "🛡", "😀", "\u{10FFFF}", "\u{FFFD}",
        ]
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0..<12, using: &rng) { scalars.append(pool.randomElement(using: &rng)!) }
        return String(scalars)
    }
}
