/// A range the reference writes into a field's description, enforced like Telegram enforces it.
public struct FieldLimit: Sendable, Hashable {
    /// What the range counts.
    public enum Unit: Sendable, Hashable {
        /// Unicode characters of a string.
        case characters
        /// Unicode characters after Markdown or HTML has been turned into entities ("after entities parsing").
        case charactersAfterEntities
        /// UTF-8 bytes of a string.
        case bytes
        /// Elements of an array.
        case items
        /// The numeric value itself.
        case value
    }

    /// What is counted.
    public let unit: Unit
    /// The smallest accepted count or value.
    public let minimum: Int64
    /// The largest accepted count or value.
    public let maximum: Int64

    /// Creates a limit.
    public init(unit: Unit, minimum: Int64, maximum: Int64) {
        self.unit = unit
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Reads the range from a description for a field of the given declared types, or nil when none is written.
    ///
    /// Only the reference's recurring phrasings are recognised ("1-4096 characters", "0-128 bytes",
    /// "list of 1-100 identifiers", "must include 2-10 items", "Values between 1-100 are accepted", "; 1-1500"),
    /// so prose such as "ISO 639-1" or dice "values 1-6" is never mistaken for a limit.
    static func parse(description: String, types: [SpecType]) -> FieldLimit? {
        let words = tokenize(description)
        for index in words.indices {
            guard let (low, high) = range(words[index]) else { continue }
            let next = index + 1 < words.count ? words[index + 1].lowercased() : ""
            let previous = index > 0 ? words[index - 1].lowercased() : ""
            if types.contains(.string) {
                if next.hasPrefix("character") {
                    let tail = words[(index + 1)...].prefix(4).joined(separator: " ").lowercased()
                    let afterEntities = tail.contains("after entities parsing") || tail.contains("after entity parsing")
                    return FieldLimit(
                        unit: afterEntities ? .charactersAfterEntities : .characters,
                        minimum: low,
                        maximum: high
                    )
                }
                if next.hasPrefix("bytes") { return FieldLimit(unit: .bytes, minimum: low, maximum: high) }
            }
            if types.contains(where: { if case .array = $0 { true } else { false } }) {
                if previous == "of" && index >= 2 && words[index - 2].lowercased() == "list" {
                    return FieldLimit(unit: .items, minimum: low, maximum: high)
                }
                if previous == "include" && next.hasPrefix("items") {
                    return FieldLimit(unit: .items, minimum: low, maximum: high)
                }
            }
            if types.contains(.integer) || types.contains(.float) {
                // "Values between 1-100", "measured in meters; 0-1500", "for update delivery, 1-100".
                if previous == "between" || previous.hasSuffix(";") || previous.hasSuffix(",") {
                    return FieldLimit(unit: .value, minimum: low, maximum: high)
                }
            }
        }
        return nil
    }

    private static func tokenize(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
    }

    /// "1-100", "1-100.", "0-1500;" → the two bounds.
    private static func range(_ word: String) -> (Int64, Int64)? {
        var trimmed = Substring(word)
        while let last = trimmed.last, last == "." || last == "," || last == ";" || last == ")" {
            trimmed = trimmed.dropLast()
        }
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let low = Int64(parts[0]), let high = Int64(parts[1]), low <= high else { return nil }
        return (low, high)
    }
}
