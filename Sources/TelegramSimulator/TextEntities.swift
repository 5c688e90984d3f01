import WardenJSON

/// The entities Telegram's servers find in plain text: commands, mentions, hashtags, cashtags, URLs, emails.
///
/// Messages posted through the control API get these when the request gives no `entities`, so bots see
/// `/ban@WardenBot`, `@spammer` and `t.me/joinchat/…` marked up as they would be on Telegram.
enum TextEntities {
    static func detect(_ text: String) -> [JSONValue] {
        var entities: [JSONValue] = []
        for token in tokens(text) {
            let start = token.start
            let word = token.text
            if let first = word.unicodeScalars.first {
                let prefixLength: Int?
                let type: String
                switch first {
                case "/":
                    type = "bot_command"
                    prefixLength = command(word)
                case "@":
                    type = "mention"
                    prefixLength = run(word, allowed: isUsernameScalar, minimum: 5, maximum: 32)
                case "#":
                    type = "hashtag"
                    prefixLength = run(
                        word,
                        allowed: { $0.properties.isAlphabetic || isDigit($0) || $0 == "_" },
                        minimum: 1,
                        maximum: 256
                    )
                case "$":
                    type = "cashtag"
                    prefixLength = run(word, allowed: { $0.value >= 65 && $0.value <= 90 }, minimum: 1, maximum: 8)
                default:
                    type = ""
                    prefixLength = nil
                }
                if let prefixLength {
                    entities.append(entity(type, start, prefixLength))
                    continue
                }
            }
            let trimmed = trimPunctuation(word)
            if isEmail(trimmed) {
                entities.append(entity("email", start, trimmed.utf16.count))
            } else if isURL(trimmed) {
                entities.append(entity("url", start, trimmed.utf16.count))
            }
        }
        return entities
    }

    private static func entity(_ type: String, _ offset: Int, _ length: Int) -> JSONValue {
        ["type": .string(type), "offset": .int(Int64(offset)), "length": .int(Int64(length))]
    }

    /// Whitespace-separated words with their UTF-16 start and end offsets.
    private static func tokens(_ text: String) -> [(text: String, start: Int, end: Int)] {
        var result: [(String, Int, Int)] = []
        var current = ""
        var start = 0
        var position = 0
        for scalar in text.unicodeScalars {
            let width = scalar.utf16.count
            if scalar.properties.isWhitespace {
                if !current.isEmpty { result.append((current, start, position)) }
                current = ""
            } else {
                if current.isEmpty { start = position }
                current.unicodeScalars.append(scalar)
            }
            position += width
        }
        if !current.isEmpty { result.append((current, start, position)) }
        return result
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 48 && scalar.value <= 57 }

    private static func isUsernameScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || isDigit(scalar) || scalar == "_")
    }

    /// The UTF-16 length of the marker plus a run of allowed scalars, if the run's length fits.
    private static func run(
        _ word: String,
        allowed: (Unicode.Scalar) -> Bool,
        minimum: Int,
        maximum: Int
    ) -> Int? {
        let body = word.unicodeScalars.dropFirst().prefix(while: allowed)
        guard body.count >= minimum, body.count <= maximum else { return nil }
        return 1 + body.reduce(0) { $0 + $1.utf16.count }
    }

    /// `/command` with an optional `@botname`.
    private static func command(_ word: String) -> Int? {
        guard var length = run(word, allowed: isUsernameScalar, minimum: 1, maximum: 64) else { return nil }
        let rest = word.unicodeScalars.dropFirst(length)
        if rest.first == "@" {
            let name = rest.dropFirst().prefix(while: isUsernameScalar)
            if name.count >= 3 { length += 1 + name.count }
        }
        return length
    }

    private static func trimPunctuation(_ word: String) -> String {
        var scalars = Substring(word).unicodeScalars
        while let last = scalars.last, ".,;:!?)]}'\"".unicodeScalars.contains(last) { scalars.removeLast() }
        return String(scalars)
    }

    private static func isEmail(_ word: String) -> Bool {
        let parts = word.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].first != "/" else { return false }
        return isHost(parts[1])
    }

    private static func isURL(_ word: String) -> Bool {
        var rest = Substring(word)
        for scheme in ["https://", "http://", "tg://"] where rest.lowercased().hasPrefix(scheme) {
            return rest.count > scheme.count
        }
        if rest.contains("@") { return false }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        return isHost(rest)
    }

    /// "t.me", "example.co.uk": dot-separated labels ending in a letters-only label of two or more.
    private static func isHost(_ host: Substring) -> Bool {
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let tld = labels.last, tld.count >= 2,
            tld.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic })
        else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.unicodeScalars.allSatisfy { isUsernameScalar($0) || $0 == "-" }
        }
    }
}
