import WardenJSON

extension EntityBuilder {
    private static let supportedTags: Set<String> = [
        "a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "code", "pre",
        "blockquote", "tg-emoji", "tg-time",
    ]

    private struct OpenTag {
        let name: String
        let attributes: [String: String]
        let start: Int
    }

    /// Telegram's HTML: the listed tags only, properly nested, `&lt;` `&gt;` `&amp;` `&quot;` and numeric entities.
    mutating func parseHTML() throws(FormattedText.ParseError) {
        var open: [OpenTag] = []
        while let byte = peek() {
            if byte == UInt8(ascii: "&") {
                decodeEntity()
            } else if byte == UInt8(ascii: "<") {
                if peek(1) == UInt8(ascii: "/") {
                    try closeTag(&open)
                } else {
                    open.append(try openTag())
                }
            } else {
                copyCharacter()
            }
        }
        if let unclosed = open.last {
            throw fail("Can't find end tag corresponding to start tag \"\(unclosed.name)\"")
        }
    }

    /// An unknown or malformed `&…;` stays literal text, as in Telegram.
    private mutating func decodeEntity() {
        let named: [String: Unicode.Scalar] = ["lt": "<", "gt": ">", "amp": "&", "quot": "\""]
        var end = position + 1
        while end < input.count, end - position <= 10, input[end] != UInt8(ascii: ";") { end += 1 }
        if end < input.count, input[end] == UInt8(ascii: ";") {
            let name = String(decoding: input[(position + 1)..<end], as: UTF8.self)
            var scalar = named[name]
            if scalar == nil, name.hasPrefix("#") {
                let digits = name.dropFirst()
                let code =
                    digits.hasPrefix("x") || digits.hasPrefix("X")
                    ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
                scalar = code.flatMap(Unicode.Scalar.init)
            }
            if let scalar {
                append(scalar: scalar)
                position = end + 1
                return
            }
        }
        append([UInt8(ascii: "&")])
        position += 1
    }

    private mutating func readName() -> String {
        let start = position
        while let byte = peek(), isNameByte(byte) { position += 1 }
        return String(decoding: input[start..<position], as: UTF8.self).lowercased()
    }

    private func isNameByte(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "_")
    }

    private mutating func skipSpaces() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D { position += 1 }
    }

    private mutating func openTag() throws(FormattedText.ParseError) -> OpenTag {
        let begin = position
        position += 1
        let name = readName()
        guard Self.supportedTags.contains(name) else {
            throw fail("Unsupported start tag \"\(name)\" at byte offset \(begin)")
        }
        var attributes: [String: String] = [:]
        while true {
            skipSpaces()
            guard let byte = peek() else { throw fail("Unclosed start tag at byte offset \(begin)") }
            if byte == UInt8(ascii: ">") {
                position += 1
                break
            }
            let attributeStart = position
            let attribute = readName()
            guard !attribute.isEmpty else {
                throw fail("Empty attribute name in the tag \"\(name)\" at byte offset \(attributeStart)")
            }
            skipSpaces()
            var value = ""
            if peek() == UInt8(ascii: "=") {
                position += 1
                skipSpaces()
                value = try readAttributeValue(begin: begin)
            }
            attributes[attribute] = value
        }
        if name == "span" && attributes["class"] != "tg-spoiler" {
            throw fail("Tag \"span\" must have class \"tg-spoiler\" at byte offset \(begin)")
        }
        return OpenTag(name: name, attributes: attributes, start: utf16Length)
    }

    private mutating func readAttributeValue(begin: Int) throws(FormattedText.ParseError) -> String {
        guard let quote = peek() else { throw fail("Unclosed start tag at byte offset \(begin)") }
        let start: Int
        if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
            position += 1
            start = position
            while let byte = peek(), byte != quote { position += 1 }
            guard peek() == quote else { throw fail("Unclosed start tag at byte offset \(begin)") }
            defer { position += 1 }
            return Self.unescape(String(decoding: input[start..<position], as: UTF8.self))
        }
        start = position
        while let byte = peek(), byte != UInt8(ascii: ">"), byte != 0x20 { position += 1 }
        return Self.unescape(String(decoding: input[start..<position], as: UTF8.self))
    }

    private static func unescape(_ value: String) -> String {
        var builder = EntityBuilder(Array(value.utf8))
        while let byte = builder.peek() {
            if byte == UInt8(ascii: "&") { builder.decodeEntity() } else { builder.copyCharacter() }
        }
        return String(decoding: builder.output, as: UTF8.self)
    }

    private mutating func closeTag(_ open: inout [OpenTag]) throws(FormattedText.ParseError) {
        let begin = position
        position += 2
        let name = readName()
        skipSpaces()
        guard peek() == UInt8(ascii: ">") else { throw fail("Unclosed end tag at byte offset \(begin)") }
        position += 1
        guard let top = open.popLast() else { throw fail("Unexpected end tag at byte offset \(begin)") }
        guard name == top.name else {
            throw fail("Unmatched end tag at byte offset \(begin), expected \"</\(top.name)>\", found \"</\(name)>\"")
        }
        addHTMLEntity(top, inside: open)
    }

    private mutating func addHTMLEntity(_ tag: OpenTag, inside open: [OpenTag]) {
        switch tag.name {
        case "b", "strong": addEntity("bold", from: tag.start)
        case "i", "em": addEntity("italic", from: tag.start)
        case "u", "ins": addEntity("underline", from: tag.start)
        case "s", "strike", "del": addEntity("strikethrough", from: tag.start)
        case "span", "tg-spoiler": addEntity("spoiler", from: tag.start)
        case "a":
            if let href = tag.attributes["href"], !href.isEmpty {
                addEntity("text_link", from: tag.start, extra: ["url": .string(href)])
            }
        case "code":
            // <pre><code class="language-x"> is one pre entity with a language, not a code entity.
            if open.last?.name == "pre" {
                if let language = tag.attributes["class"], language.hasPrefix("language-") {
                    addEntity("pre", from: tag.start, extra: ["language": .string(String(language.dropFirst(9)))])
                }
            } else {
                addEntity("code", from: tag.start)
            }
        case "pre":
            if !entities.contains(where: { $0.offset == tag.start && $0.object["type"] == "pre" }) {
                addEntity("pre", from: tag.start)
            }
        case "blockquote":
            addEntity(tag.attributes["expandable"] != nil ? "expandable_blockquote" : "blockquote", from: tag.start)
        case "tg-emoji":
            if let id = tag.attributes["emoji-id"] {
                addEntity("custom_emoji", from: tag.start, extra: ["custom_emoji_id": .string(id)])
            }
        case "tg-time":
            if let unix = tag.attributes["unix"].flatMap({ Int64($0) }) {
                var extra: [String: JSONValue] = ["unix_time": .int(unix)]
                if let format = tag.attributes["format"] { extra["date_time_format"] = .string(format) }
                addEntity("date_time", from: tag.start, extra: extra)
            }
        default: break
        }
    }
}
