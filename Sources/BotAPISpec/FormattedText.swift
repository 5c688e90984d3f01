public import WardenJSON

/// Text after Telegram's Markdown or HTML parsing: the plain text and its `MessageEntity` objects.
///
/// Follows the rules in the reference's "Formatting options" (and tdlib's error wording), so text that
/// Telegram would refuse with "can't parse entities" is refused here too: an unescaped `.` in MarkdownV2,
/// an unknown tag or a stray `<` in HTML, an unclosed `*` in Markdown.
public struct FormattedText: Sendable, Hashable {
    /// The text without markup.
    public var text: String
    /// `MessageEntity` objects with UTF-16 offsets, ordered by offset.
    public var entities: [JSONValue]

    /// Creates formatted text from parts, e.g. a text with the entities a client sent explicitly.
    public init(text: String, entities: [JSONValue]) {
        self.text = text
        self.entities = entities
    }

    /// Why the markup could not be parsed, in tdlib's words (e.g. "Unsupported start tag \"foo\" at byte offset 3").
    public struct ParseError: Error, Sendable, Hashable {
        /// The explanation that follows "Bad Request: can't parse entities: ".
        public let message: String
    }

    /// Whether Telegram knows this `parse_mode` ("HTML", "Markdown", "MarkdownV2", in any case).
    public static func isSupported(mode: String) -> Bool {
        ["html", "markdown", "markdownv2"].contains(mode.lowercased())
    }

    /// Parses `source` in the given mode; an unsupported mode leaves the text as it is.
    public static func parse(_ source: String, mode: String) -> Result<FormattedText, ParseError> {
        var builder = EntityBuilder(Array(source.utf8))
        do {
            switch mode.lowercased() {
            case "html": try builder.parseHTML()
            case "markdownv2": try builder.parseMarkdownV2()
            case "markdown": try builder.parseLegacyMarkdown()
            default: return .success(FormattedText(text: source, entities: []))
            }
        } catch {
            return .failure(error)
        }
        return .success(builder.result)
    }
}

/// Collects output bytes, counts UTF-16 units as it goes and records entities.
struct EntityBuilder {
    let input: [UInt8]
    var position = 0
    var output: [UInt8] = []
    var utf16Length = 0
    var entities: [(offset: Int, length: Int, object: [String: JSONValue])] = []

    init(_ input: [UInt8]) { self.input = input }

    var result: FormattedText {
        let sorted = entities.enumerated().sorted { lhs, rhs in
            if lhs.element.offset != rhs.element.offset { return lhs.element.offset < rhs.element.offset }
            if lhs.element.length != rhs.element.length { return lhs.element.length > rhs.element.length }
            return lhs.offset < rhs.offset
        }
        return FormattedText(
            text: String(decoding: output, as: UTF8.self),
            entities: sorted.map { .object($0.element.object) }
        )
    }

    func peek(_ offset: Int = 0) -> UInt8? {
        position + offset < input.count ? input[position + offset] : nil
    }

    /// Copies one whole UTF-8 sequence from the input.
    mutating func copyCharacter() {
        let lead = input[position]
        let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        let end = min(position + length, input.count)
        append(input[position..<end])
        position = end
    }

    mutating func append(_ bytes: some Collection<UInt8>) {
        for byte in bytes {
            output.append(byte)
            if byte & 0xC0 != 0x80 { utf16Length += byte >= 0xF0 ? 2 : 1 }
        }
    }

    mutating func append(scalar: Unicode.Scalar) {
        append(Array(String(Character(scalar)).utf8))
    }

    /// Records an entity from `start` (UTF-16) to the current end; empty ones are dropped as Telegram does.
    mutating func addEntity(_ type: String, from start: Int, extra: [String: JSONValue] = [:]) {
        let length = utf16Length - start
        guard length > 0 else { return }
        var object = extra
        object["type"] = .string(type)
        object["offset"] = .int(Int64(start))
        object["length"] = .int(Int64(length))
        entities.append((start, length, object))
    }

    func fail(_ message: String) -> FormattedText.ParseError { FormattedText.ParseError(message: message) }
}
