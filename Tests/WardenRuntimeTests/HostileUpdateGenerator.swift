import Foundation
import WardenJSON
import WardenTestSupport

@testable import WardenRuntime

/// Raw update bytes a hostile or broken sender could post: a valid group message with one field (at any
/// depth) replaced by a random value, a wrong type or nothing; unknown kinds; RTL and zero-width text;
/// numbers beyond Int64 written as raw literals; invalid UTF-8 and unpaired surrogates spliced into the bytes.
struct HostileUpdateGenerator {
    private var values: ValueGenerator

    init(seed: UInt64) { values = ValueGenerator(rng: SeededGenerator(seed: seed)) }

    /// Where a value can be replaced or removed.
    static let paths: [[String]] = [
        [], ["update_id"], ["message"], ["message", "text"], ["message", "chat"], ["message", "chat", "id"],
        ["message", "chat", "type"], ["message", "chat", "title"], ["message", "from"], ["message", "from", "id"],
        ["message", "from", "first_name"], ["message", "from", "last_name"], ["message", "from", "username"],
        ["message", "message_id"], ["message", "date"], ["message", "entities"], ["message", "caption"],
        ["message", "reply_to_message"], ["message", "reply_to_message", "from"], ["message", "sender_chat"],
        ["message", "new_chat_members"], ["message", "left_chat_member"], ["message", "migrate_to_chat_id"],
        ["message", "new_chat_title"], ["message", "forward_origin"], ["message", "reply_markup"],
    ]
    static let wrongTypes: [JSONValue] = [
        "123", "-1001234567890", ["text": "an object"], [1, 2, 3], [["id": 1]], true, 1.5, -0.0, .null, "",
        ["id": "not a number", "type": 7],
    ]
    /// Literals a JSON value cannot hold, or only as a double: spliced in as raw text.
    static let numberLiterals = [
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809", "1e400",
        "-1e400", "-0", "1.5", "1e19", "123456789012345678901234567890", "1E-400", "-0.0e0",
    ]
    /// Right-to-left overrides and isolates, zero-width characters, a BOM, combining marks, emoji.
    static let invisible: [String] = [
        "\u{202E}", "\u{202D}", "\u{2066}", "\u{2069}", "\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}",
        "\u{3164}", "\u{0301}", "مرحبا", "שלום", "👨‍👩‍👧", "/", "!", "@WardenBot", "ban", " ",
    ]
    static let kinds = [
        "edited_message", "channel_post", "callback_query", "chat_member", "my_chat_member", "chat_join_request",
        "message_reaction", "poll", "business_message",
    ]

    static func base() -> JSONValue {
        Fixture.message(
            "hello",
            extra: [
                "reply_to_message": ["message_id": 1, "date": 1, "chat": Fixture.chat(), "from": Fixture.user(5)],
                "entities": [["type": "bold", "offset": 0, "length": 5]],
            ]
        )
    }

    mutating func next() -> [UInt8] {
        var update = Self.base()
        let path = Self.paths.randomElement(using: &values.rng)!
        switch values.rng.below(8) {
        case 0, 1: update[path] = values.value()
        case 2: update[path] = nil
        case 3: update[path] = Self.wrongTypes.randomElement(using: &values.rng)!
        case 4:
            let kind = values.rng.below(2) == 0 ? Self.kinds.randomElement(using: &values.rng)! : values.string()
            update = .object([
                "update_id": update["update_id"]!, kind: values.rng.below(2) == 0 ? values.value() : update["message"]!,
            ])
        case 5:
            let field = [
                ["message", "text"], ["message", "from", "first_name"], ["message", "from", "username"],
                ["message", "chat", "title"], ["message", "caption"],
            ].randomElement(using: &values.rng)!
            update[field] = .string(
                (0..<values.rng.below(12)).map { _ in Self.invisible.randomElement(using: &values.rng)! }.joined()
            )
        case 6:
            update[path.isEmpty ? ["update_id"] : path] = "\u{1}NUMBER\u{1}"
            let literal = Self.numberLiterals.randomElement(using: &values.rng)!
            return Array(update.jsonString.replacingOccurrences(of: #""\u0001NUMBER\u0001""#, with: literal).utf8)
        default:
            var bytes = update.serialized()
            let splice: [[UInt8]] = [
                [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], Array(#"\ud800"#.utf8),
                Array(#"\udc00\ud800"#.utf8),
            ]
            guard
                let quote = bytes.indices.filter({ bytes[$0] == UInt8(ascii: "\"") }).randomElement(using: &values.rng)
            else { return bytes }
            bytes.insert(contentsOf: splice.randomElement(using: &values.rng)!, at: quote + 1)
            return bytes
        }
        return update.serialized()
    }

    struct Named {
        var name: String
        var bytes: [UInt8]
        /// Whether the decoder must refuse it (the rest may be refused or handled).
        var mustBeRefused = false
    }

    /// The cases the issue names, one each.
    static func namedInputs() -> [Named] {
        let megabyte = String(repeating: "spam ", count: 200_000)
        var named: [Named] = []
        for field in [
            ["message", "text"], ["message", "caption"], ["message", "from", "first_name"],
            ["message", "from", "username"], ["message", "chat", "title"],
        ] {
            var update = base()
            update[field] = .string(megabyte)
            named.append(Named(name: "1 MB \(field.last!)", bytes: update.serialized()))
        }
        var command = base()
        command[["message", "text"]] = .string("/ban\u{200B}@WardenBot \u{202E}!probe 1")
        named.append(Named(name: "zero-width command", bytes: command.serialized()))
        var rtl = base()
        rtl[["message", "from", "first_name"]] = "\u{202E}nimdA\u{200D}\u{FEFF}"
        rtl[["message", "from", "username"]] = "\u{200B}admin"
        rtl[["message", "text"]] = .string(String(repeating: "\u{200B}\u{202E}\u{2066}", count: 30_000))
        named.append(Named(name: "RTL and zero-width", bytes: rtl.serialized()))
        let text = base().jsonString
        named.append(Named(name: "invalid UTF-8", bytes: splice([0xFF, 0xFE], into: text), mustBeRefused: true))
        named.append(Named(name: "overlong UTF-8", bytes: splice([0xC0, 0xAF], into: text), mustBeRefused: true))
        named.append(
            Named(
                name: "depth 10000",
                bytes: Array((String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)).utf8),
                mustBeRefused: true
            )
        )
        var nested = base()
        nested[["message", "reply_markup"]] = "\u{1}DEEP\u{1}"
        let deepObject = String(repeating: #"{"a":"#, count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        let deepField = nested.jsonString.replacingOccurrences(of: #""\u0001DEEP\u0001""#, with: deepObject)
        named.append(Named(name: "depth 10000 in a field", bytes: Array(deepField.utf8), mustBeRefused: true))
        for path in [
            ["update_id"], ["message", "chat", "id"], ["message", "from", "id"], ["message", "message_id"],
            ["message", "date"],
        ] {
            for literal in numberLiterals {
                var update = base()
                update[path] = "\u{1}NUMBER\u{1}"
                let bytes = update.jsonString.replacingOccurrences(of: #""\u0001NUMBER\u0001""#, with: literal)
                named.append(Named(name: "\(path.joined(separator: ".")) = \(literal)", bytes: Array(bytes.utf8)))
            }
        }
        return named
    }

    /// Puts bytes just inside the text of the message.
    private static func splice(_ bad: [UInt8], into text: String) -> [UInt8] {
        let parts = text.components(separatedBy: #""text":"hel"#)
        return Array(parts[0].utf8) + Array(#""text":"hel"#.utf8) + bad + Array(parts[1...].joined().utf8)
    }
}

extension JSONValue {
    /// The value at a path of object keys; setting builds missing objects and nil removes the key.
    subscript(path: [String]) -> JSONValue? {
        get { path.reduce(Optional(self)) { $0?[$1] } }
        set {
            guard let key = path.first else {
                self = newValue ?? .null
                return
            }
            var fields = object ?? [:]
            var child = fields[key] ?? .object([:])
            child[Array(path.dropFirst())] = newValue
            fields[key] = path.count == 1 ? newValue : child
            self = .object(fields)
        }
    }
}
