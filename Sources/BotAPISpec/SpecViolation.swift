public import WardenJSON

/// Why a request breaks the Bot API contract, with the answer Telegram would give.
public struct SpecViolation: Error, Sendable, Hashable, CustomStringConvertible {
    /// The broken rule, so callers can branch without matching text.
    public enum Kind: Sendable, Hashable {
        /// The method does not exist (Telegram answers 404 "Not Found").
        case unknownMethod
        /// A required parameter or field is absent.
        case missingField
        /// A parameter or field the reference does not list.
        case unknownField
        /// The JSON type does not match any declared type.
        case wrongType
        /// A discriminator or enumerated string has a value the reference does not allow.
        case wrongValue
        /// A length, count or value outside the range written in the description.
        case outOfRange
        /// Markdown or HTML text that Telegram cannot parse into entities.
        case unparsableEntities
    }

    /// The broken rule.
    public let kind: Kind
    /// The offending parameter as a path, e.g. `reply_markup.inline_keyboard[0][1].text`; empty for the method.
    public let path: String
    /// Telegram's description, e.g. `Bad Request: message text is empty`.
    public let description: String

    /// Creates a violation.
    public init(_ kind: Kind, path: String, description: String) {
        self.kind = kind
        self.path = path
        self.description = description
    }

    /// The HTTP status and `error_code` Telegram uses: 404 for an unknown method, otherwise 400.
    public var errorCode: Int { kind == .unknownMethod ? 404 : 400 }

    /// Telegram's error envelope: `{"ok":false,"error_code":400,"description":"Bad Request: …"}`.
    public var envelope: JSONValue {
        ["ok": false, "error_code": .int(Int64(errorCode)), "description": .string(description)]
    }

    static let unknownMethod = SpecViolation(.unknownMethod, path: "", description: "Not Found")

    static func missing(_ path: String, topLevel: Bool) -> SpecViolation {
        let noun = topLevel ? "parameter" : "field"
        return SpecViolation(.missingField, path: path, description: "Bad Request: \(noun) \"\(path)\" is required")
    }

    static func unknown(_ path: String, topLevel: Bool) -> SpecViolation {
        let noun = topLevel ? "parameter" : "field"
        return SpecViolation(.unknownField, path: path, description: "Bad Request: unknown \(noun) \"\(path)\"")
    }

    static func wrongType(_ path: String, expected: [SpecType]) -> SpecViolation {
        let names = expected.map(\.description).joined(separator: " or ")
        return SpecViolation(
            .wrongType,
            path: path,
            description: "Bad Request: field \"\(path)\" must be of type \(names)"
        )
    }
}
