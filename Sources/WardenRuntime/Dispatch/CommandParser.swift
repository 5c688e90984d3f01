/// Recognises `/cmd`, `!cmd` and `#cmd`, with an optional `@botname` suffix.
enum CommandParser {
    struct Parsed: Equatable {
        var name: String
        var botName: String?
        var arguments: String
        /// The text with `@botname` removed from the command, for pattern matching.
        var textWithoutBotName: String
    }

    static let prefixes: Set<UInt8> = [UInt8(ascii: "/"), UInt8(ascii: "!"), UInt8(ascii: "#")]

    static func parse(_ text: String) -> Parsed? {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, prefixes.contains(first) else { return nil }
        var end = 1
        while end < bytes.count, isNameByte(bytes[end]) { end += 1 }
        guard end > 1, end <= 33 else { return nil }  // Telegram commands are 1-32 characters
        let name = String(decoding: bytes[1..<end], as: UTF8.self)
        var botName: String?
        var commandEnd = end
        if end < bytes.count, bytes[end] == UInt8(ascii: "@") {
            var nameEnd = end + 1
            while nameEnd < bytes.count, isNameByte(bytes[nameEnd]) { nameEnd += 1 }
            guard nameEnd > end + 1 else { return nil }
            botName = String(decoding: bytes[(end + 1)..<nameEnd], as: UTF8.self)
            commandEnd = nameEnd
        }
        // A command ends at whitespace or the end of the text ("/ban!" is not a command).
        if commandEnd < bytes.count, !isSpace(bytes[commandEnd]) { return nil }
        let rest = bytes[commandEnd...]
        let arguments = String(decoding: trim(rest), as: UTF8.self)
        let withoutBot = String(decoding: bytes[0..<end], as: UTF8.self) + String(decoding: rest, as: UTF8.self)
        return Parsed(name: name, botName: botName, arguments: arguments, textWithoutBotName: withoutBot)
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == UInt8(ascii: "_")
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    static func trim(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, isSpace(first) { slice = slice.dropFirst() }
        while let last = slice.last, isSpace(last) { slice = slice.dropLast() }
        return slice
    }
}
