extension JSONParser {
    /// Parses a string starting at its opening quote and leaves the position after the closing one.
    ///
    /// Unescaped strings (the common case) become one `String(decoding:)` of the input slice;
    /// only strings with escapes go through the scratch buffer.
    mutating func parseString() throws(JSONError) -> String {
        let quote = position
        position += 1
        let start = position
        while position < end {
            let byte = bytes[position]
            // One subtraction tests both "not a control character" and "ASCII".
            if byte &- 0x20 < 0x60 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                position += 1
            } else if byte == UInt8(ascii: "\"") {
                try checkStringLength(position - start, start: quote)
                let string = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return string
            } else if byte == UInt8(ascii: "\\") {
                return try parseEscapedString(quote: quote, start: start)
            } else if byte < 0x20 {
                throw controlCharacter(byte)
            } else {
                try skipUTF8Sequence()
            }
        }
        throw JSONError(.unterminatedString, "unterminated string starting", at: quote)
    }

    /// Continues `parseString` from the first backslash, copying runs of plain bytes in bulk.
    private mutating func parseEscapedString(quote: Int, start: Int) throws(JSONError) -> String {
        scratch.removeAll(keepingCapacity: true)
        var runStart = start
        while position < end {
            let byte = bytes[position]
            if byte &- 0x20 < 0x60 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                position += 1
            } else if byte == UInt8(ascii: "\"") {
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                try checkStringLength(scratch.count, start: quote)
                position += 1
                return String(decoding: scratch, as: UTF8.self)
            } else if byte == UInt8(ascii: "\\") {
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                try decodeEscape(quote: quote)
                runStart = position
            } else if byte < 0x20 {
                throw controlCharacter(byte)
            } else {
                try skipUTF8Sequence()
            }
        }
        throw JSONError(.unterminatedString, "unterminated string starting", at: quote)
    }

    /// Decodes one escape at the current backslash into `scratch`.
    private mutating func decodeEscape(quote: Int) throws(JSONError) {
        let backslash = position
        guard position + 1 < end else {
            throw JSONError(.unterminatedString, "unterminated string starting", at: quote)
        }
        let replacement: UInt8
        switch bytes[position + 1] {
        case UInt8(ascii: "\""): replacement = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): replacement = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): replacement = UInt8(ascii: "/")
        case UInt8(ascii: "b"): replacement = 0x08
        case UInt8(ascii: "f"): replacement = 0x0C
        case UInt8(ascii: "n"): replacement = 0x0A
        case UInt8(ascii: "r"): replacement = 0x0D
        case UInt8(ascii: "t"): replacement = 0x09
        case UInt8(ascii: "u"):
            guard let unit = hex4(at: position + 2) else {
                throw JSONError(.invalidEscape, "invalid \\u escape, expected four hex digits", at: backslash)
            }
            position += 6
            appendScalar(combiningSurrogates(unit))
            return
        default:
            let found = JSONError.describe(byte: bytes[position + 1])
            throw JSONError(.invalidEscape, "invalid escape \\ followed by \(found)", at: backslash)
        }
        scratch.append(replacement)
        position += 2
    }

    /// Joins a high surrogate with an immediately following `\uDC00`–`\uDFFF`.
    ///
    /// Unpaired halves cannot be represented in a Swift String, so they become U+FFFD instead
    /// of failing the whole update; whatever followed a lone high surrogate is decoded normally.
    private mutating func combiningSurrogates(_ unit: UInt32) -> UInt32 {
        switch unit {
        case 0xD800...0xDBFF:
            guard position + 1 < end,
                bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u"),
                let low = hex4(at: position + 2), (0xDC00...0xDFFF).contains(low)
            else { return 0xFFFD }
            position += 6
            return 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        case 0xDC00...0xDFFF:
            return 0xFFFD
        default:
            return unit
        }
    }

    private func hex4(at index: Int) -> UInt32? {
        guard index >= 0, end - index >= 4 else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private mutating func appendScalar(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Validates one multi-byte UTF-8 sequence at the current position and steps past it.
    ///
    /// Follows the well-formed table of Unicode §3.9 (no overlongs, no surrogates, nothing past
    /// U+10FFFF), so `String(decoding:)` never has to substitute U+FFFD for raw input.
    @inline(__always)
    private mutating func skipUTF8Sequence() throws(JSONError) {
        let lead = bytes[position]
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        let continuations: Int
        switch lead {
        case 0xC2...0xDF: continuations = 1
        case 0xE0:
            continuations = 2
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: continuations = 2
        case 0xED:
            continuations = 2
            high = 0x9F
        case 0xF0:
            continuations = 3
            low = 0x90
        case 0xF1...0xF3: continuations = 3
        case 0xF4:
            continuations = 3
            high = 0x8F
        default: throw invalidUTF8(position)
        }
        guard end - position > continuations else { throw invalidUTF8(position) }
        let second = bytes[position + 1]
        guard second >= low && second <= high else { throw invalidUTF8(position + 1) }
        var index = position + 2
        while index <= position + continuations {
            guard bytes[index] & 0xC0 == 0x80 else { throw invalidUTF8(index) }
            index += 1
        }
        position = index
    }

    private func invalidUTF8(_ offset: Int) -> JSONError {
        let found = offset < end ? JSONError.describe(byte: bytes[offset]) : "end of input"
        return JSONError(.invalidUTF8, "invalid UTF-8 (\(found))", at: offset)
    }

    private func controlCharacter(_ byte: UInt8) -> JSONError {
        JSONError(
            .controlCharacter,
            "unescaped control character \(JSONError.describe(byte: byte)) in string",
            at: position
        )
    }

    private func checkStringLength(_ count: Int, start: Int) throws(JSONError) {
        guard let cap = limits.maxStringBytes, count > cap else { return }
        throw JSONError(.stringTooLong, "string of \(count) bytes exceeds the limit of \(cap)", at: start)
    }
}
