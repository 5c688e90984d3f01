/// Why and where parsing failed.
public struct JSONError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The broad class of failure, so callers can branch without matching message text.
    public enum Kind: Sendable, Hashable {
        case emptyInput
        case unexpectedEnd
        case unexpectedCharacter
        case trailingData
        case invalidUTF8
        case controlCharacter
        case invalidEscape
        case unterminatedString
        case invalidNumber
        case numberOutOfRange
        case tooDeep
        case tooLarge
        case stringTooLong
    }

    /// The broad class of failure.
    public let kind: Kind
    /// A human-readable explanation, without the offset.
    public let message: String
    /// Zero-based byte offset into the input where the problem was detected.
    public let offset: Int

    /// Creates an error; the parser is the usual source.
    public init(_ kind: Kind, _ message: String, at offset: Int) {
        self.kind = kind
        self.message = message
        self.offset = offset
    }

    /// For example "unexpected character 'x' at byte 17".
    public var description: String { "\(message) at byte \(offset)" }

    /// Quotes printable ASCII and shows anything else as hex, so messages stay one readable line.
    static func describe(byte: UInt8) -> String {
        if byte > 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x" + (hex.count == 1 ? "0" + hex : hex)
    }
}
