import WardenJSON
import WardenTestSupport

/// Returns the parse error, or nil when the input parsed.
func parseFailure(_ bytes: [UInt8], limits: JSONLimits = .default) -> JSONError? {
    do {
        _ = try JSONValue(parsing: bytes, limits: limits)
        return nil
    } catch {
        return error
    }
}

func parseFailure(_ text: String, limits: JSONLimits = .default) -> JSONError? {
    parseFailure(Array(text.utf8), limits: limits)
}

/// A group message replying to a bot, shaped like a real Bot API update (about 600 bytes).
let telegramUpdate = #"""
    {"update_id":912345678,"message":{"message_id":4821,"from":{"id":123456789,"is_bot":false,\#
    "first_name":"Алиса","last_name":"Smith","username":"alice_s","language_code":"en"},\#
    "chat":{"id":-1001234567890123,"title":"Warden Test Group 🛡️","type":"supergroup"},\#
    "date":1732300000,"reply_to_message":{"message_id":4820,"from":{"id":987654321,"is_bot":true,\#
    "first_name":"Warden"},"chat":{"id":-1001234567890123,\#
    "type":"supergroup"},"date":1732299990,"text":"Welcome!"},\#
    "text":"/ban@warden_bot spammer \"repeat offender\" \\ see\nrules \ud83d\udeab","entities":\#
    [{"offset":0,"length":15,"type":"bot_command"},{"offset":16,"length":7,"type":"mention"}],"message_thread_id":null}}
    """#

/// Builds random values that cover every case, awkward strings and full-range numbers.
struct ValueGenerator {
    var rng: SeededGenerator

    mutating func value(depth: Int = 0) -> JSONValue {
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

    mutating func integer() -> Int64 {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return Int64.random(in: -1000...1000, using: &rng)
        case 1:
            return [Int64.min, .max, .min + 1, .max - 1, 1 << 53, (1 << 53) + 1][Int.random(in: 0..<6, using: &rng)]
        default: return Int64(bitPattern: rng.next())
        }
    }

    mutating func double() -> Double {
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

    mutating func string() -> String {
        let pool: [Unicode.Scalar] = [
            "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1F}", "\u{7F}",
            "é", "Ж", "€", "\u{2028}", "🛡", "😀", "\u{10FFFF}", "\u{FFFD}",
        ]
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0..<12, using: &rng) { scalars.append(pool.randomElement(using: &rng)!) }
        return String(scalars)
    }
}
