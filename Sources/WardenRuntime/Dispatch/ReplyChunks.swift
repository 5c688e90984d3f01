/// A reply longer than one Telegram message (4096 characters, counted by Telegram in UTF-16 units) split
/// into messages that fit: at line breaks where it can (a /banlist of 300 users stays one entry a line),
/// inside a line only when the line alone is too long, never inside a character.
enum ReplyChunks {
    static let limit = 4096
    /// More is not a reply but a flood of the chat (and minutes of its rate limit): the rest is dropped.
    static let maximumParts = 10

    static func split(_ text: String, limit: Int = limit) -> [String] {
        guard text.utf16.count > limit else { return [text] }
        var chunks: [String] = []
        var current = ""
        var currentUnits = 0
        func flush() {
            if !current.isEmpty { chunks.append(current) }
            current = ""
            currentUnits = 0
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let units = line.utf16.count
            let separator = current.isEmpty ? 0 : 1
            if currentUnits + separator + units <= limit {
                if separator == 1 { current += "\n" }
                current += line
                currentUnits += separator + units
                continue
            }
            flush()
            guard units > limit else {
                current = String(line)
                currentUnits = units
                continue
            }
            for character in line {
                let size = String(character).utf16.count
                if currentUnits + size > limit { flush() }
                current.append(character)
                currentUnits += size
            }
        }
        flush()
        return chunks
    }
}
