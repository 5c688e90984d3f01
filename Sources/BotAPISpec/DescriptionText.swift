import Foundation

/// Reads the few machine-checkable facts the reference states only in prose.
enum DescriptionText {
    /// `always "creator"`, `always “user”`, `must be default` → the one allowed value.
    static func constant(in description: String) -> String? {
        for marker in ["always ", "must be "] {
            guard let range = description.range(of: marker) else { continue }
            var rest = description[range.upperBound...]
            if let first = rest.first, isQuote(first) { rest = rest.dropFirst() }
            let token = rest.prefix(while: isTokenCharacter)
            if !token.isEmpty { return String(token) }
        }
        return nil
    }

    /// `can be either "private", "group", …` or `one of "regular", "mask", …` → the quoted values.
    static func enumeration(in description: String) -> [String]? {
        guard description.contains("can be") || description.contains("one of") else { return nil }
        var values: [String] = []
        var index = description.startIndex
        while index < description.endIndex {
            let character = description[index]
            index = description.index(after: index)
            guard isQuote(character) else { continue }
            let token = description[index...].prefix(while: isTokenCharacter)
            let end = token.endIndex
            if !token.isEmpty, end < description.endIndex, isQuote(description[end]) {
                values.append(String(token))
                index = description.index(after: end)
            }
        }
        return values.count >= 2 ? values : nil
    }

    private static func isQuote(_ character: Character) -> Bool {
        character == "\"" || character == "\u{201C}" || character == "\u{201D}"
    }

    private static func isTokenCharacter(_ character: Character) -> Bool {
        character == "_" || ("a"..."z").contains(character) || ("0"..."9").contains(character)
    }
}
