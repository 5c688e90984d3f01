import WardenJSON

extension EntityBuilder {
    private struct OpenMark {
        /// tdlib's name for error messages ("Bold", "TextUrl", …).
        let kind: String
        let start: Int
        let byteOffset: Int
        var language: String?
    }

    private static let reservedV2: Set<UInt8> = Set("_*[]()~`>#+-=|{}.!".utf8)

    /// MarkdownV2: every reserved character outside markup and code must be escaped with a backslash.
    mutating func parseMarkdownV2() throws(FormattedText.ParseError) {
        var open: [OpenMark] = []
        while let byte = peek() {
            if byte == UInt8(ascii: "\\"), let next = peek(1), next > 0, next < 127 {
                append([next])
                position += 2
                continue
            }
            if let top = open.last, top.kind == "Code" || top.kind == "Pre" {
                // Inside code only the closing backticks are markup.
                if byte == UInt8(ascii: "`") {
                    try closeCode(&open)
                } else {
                    copyCharacter()
                }
                continue
            }
            guard Self.reservedV2.contains(byte) else {
                copyCharacter()
                continue
            }
            let isLineStart = position == 0 || input[position - 1] == 0x0A
            switch byte {
            case UInt8(ascii: "*"): try toggle("Bold", "bold", width: 1, &open)
            case UInt8(ascii: "_"):
                if peek(1) == UInt8(ascii: "_") {
                    try toggle("Underline", "underline", width: 2, &open)
                } else {
                    try toggle("Italic", "italic", width: 1, &open)
                }
            case UInt8(ascii: "~"): try toggle("Strikethrough", "strikethrough", width: 1, &open)
            case UInt8(ascii: "|") where peek(1) == UInt8(ascii: "|"): try toggle("Spoiler", "spoiler", width: 2, &open)
            case UInt8(ascii: "["):
                open.append(OpenMark(kind: "TextUrl", start: utf16Length, byteOffset: position))
                position += 1
            case UInt8(ascii: "!") where peek(1) == UInt8(ascii: "["):
                open.append(OpenMark(kind: "CustomEmoji", start: utf16Length, byteOffset: position))
                position += 2
            case UInt8(ascii: "]") where open.last?.kind == "TextUrl" || open.last?.kind == "CustomEmoji":
                try closeLink(&open)
            case UInt8(ascii: "`"): openCode(&open)
            case UInt8(ascii: ">") where isLineStart:
                // Block quotations only mark lines; the quoted text itself is unchanged.
                position += 1
            default:
                let character = Character(Unicode.Scalar(byte))
                throw fail("Character '\(character)' is reserved and must be escaped with the preceding '\\'")
            }
        }
        if let unclosed = open.last {
            throw fail("Can't find end of \(unclosed.kind) entity at byte offset \(unclosed.byteOffset)")
        }
    }

    private mutating func toggle(
        _ kind: String,
        _ type: String,
        width: Int,
        _ open: inout [OpenMark]
    ) throws(FormattedText.ParseError) {
        if let index = open.lastIndex(where: { $0.kind == kind }) {
            guard index == open.count - 1 else {
                let inner = open[open.count - 1]
                throw fail("Can't find end of \(inner.kind) entity at byte offset \(inner.byteOffset)")
            }
            let mark = open.removeLast()
            addEntity(type, from: mark.start)
        } else {
            open.append(OpenMark(kind: kind, start: utf16Length, byteOffset: position))
        }
        position += width
    }

    private mutating func openCode(_ open: inout [OpenMark]) {
        if peek(1) == UInt8(ascii: "`") && peek(2) == UInt8(ascii: "`") {
            var mark = OpenMark(kind: "Pre", start: 0, byteOffset: position)
            position += 3
            let languageStart = position
            while let byte = peek(), byte != 0x0A, byte != UInt8(ascii: "`"), byte != 0x20 { position += 1 }
            if peek() == 0x0A {
                let language = String(decoding: input[languageStart..<position], as: UTF8.self)
                if !language.isEmpty { mark.language = language }
                position += 1
            } else {
                position = languageStart
            }
            open.append(OpenMark(kind: "Pre", start: utf16Length, byteOffset: mark.byteOffset, language: mark.language))
        } else {
            open.append(OpenMark(kind: "Code", start: utf16Length, byteOffset: position))
            position += 1
        }
    }

    private mutating func closeCode(_ open: inout [OpenMark]) throws(FormattedText.ParseError) {
        let mark = open[open.count - 1]
        if mark.kind == "Pre" {
            guard peek(1) == UInt8(ascii: "`"), peek(2) == UInt8(ascii: "`") else {
                throw fail("Can't find end of Pre entity at byte offset \(mark.byteOffset)")
            }
            open.removeLast()
            addEntity("pre", from: mark.start, extra: mark.language.map { ["language": .string($0)] } ?? [:])
            position += 3
        } else {
            open.removeLast()
            addEntity("code", from: mark.start)
            position += 1
        }
    }

    /// `[text](url)` or `![emoji](tg://emoji?id=…)`; inside the parentheses only `)` and `\` need escaping.
    private mutating func closeLink(_ open: inout [OpenMark]) throws(FormattedText.ParseError) {
        let mark = open.removeLast()
        position += 1
        var url: [UInt8] = []
        if peek() == UInt8(ascii: "(") {
            position += 1
            while let byte = peek(), byte != UInt8(ascii: ")") {
                if byte == UInt8(ascii: "\\"), let next = peek(1) {
                    url.append(next)
                    position += 2
                } else {
                    url.append(byte)
                    position += 1
                }
            }
            guard peek() == UInt8(ascii: ")") else {
                throw fail("Can't find end of a url at byte offset \(position)")
            }
            position += 1
        }
        let link = String(decoding: url, as: UTF8.self)
        if mark.kind == "CustomEmoji" {
            guard let id = link.split(separator: "=").last, link.hasPrefix("tg://emoji?id=") else {
                throw fail("Custom emoji entity must contain a tg://emoji URL")
            }
            addEntity("custom_emoji", from: mark.start, extra: ["custom_emoji_id": .string(String(id))])
        } else if !link.isEmpty {
            addEntity("text_link", from: mark.start, extra: ["url": .string(link)])
        }
    }

    /// Legacy Markdown: `*bold*`, `_italic_`, `` `code` ``, ```` ```pre``` ````, `[text](url)`; no nesting.
    mutating func parseLegacyMarkdown() throws(FormattedText.ParseError) {
        while let byte = peek() {
            if byte == UInt8(ascii: "\\"), let next = peek(1), "_*`[".utf8.contains(next) {
                append([next])
                position += 2
                continue
            }
            let begin = position
            let start = utf16Length
            switch byte {
            case UInt8(ascii: "*"), UInt8(ascii: "_"):
                position += 1
                try copyUntil(byte, begin: begin)
                addEntity(byte == UInt8(ascii: "*") ? "bold" : "italic", from: start)
            case UInt8(ascii: "`"):
                let isPre = peek(1) == UInt8(ascii: "`") && peek(2) == UInt8(ascii: "`")
                position += isPre ? 3 : 1
                try copyUntil(UInt8(ascii: "`"), begin: begin, width: isPre ? 3 : 1)
                addEntity(isPre ? "pre" : "code", from: start)
            case UInt8(ascii: "["):
                position += 1
                try copyUntil(UInt8(ascii: "]"), begin: begin)
                var open = [OpenMark(kind: "TextUrl", start: start, byteOffset: begin)]
                position -= 1
                try closeLink(&open)
            default:
                copyCharacter()
            }
        }
    }

    /// Copies text up to the closing marker and steps past it.
    private mutating func copyUntil(_ marker: UInt8, begin: Int, width: Int = 1) throws(FormattedText.ParseError) {
        while let byte = peek() {
            if byte == marker && (width == 1 || (peek(1) == marker && peek(2) == marker)) {
                position += width
                return
            }
            copyCharacter()
        }
        throw fail("Can't find end of the entity starting at byte offset \(begin)")
    }
}
