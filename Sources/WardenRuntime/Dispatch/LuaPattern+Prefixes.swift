extension LuaPattern {
    /// The literal prefixes of a valid anchored pattern, or nil when it has none.
    static func prefixes(of p: [UInt8]) -> [[UInt8]]? {
        var prefixes: [[UInt8]] = [[]]
        var i = 1  // past '^'
        scan: while i < p.count {
            let byte = p[i]
            if byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")") {
                if byte == UInt8(ascii: "("), i + 1 < p.count, p[i + 1] == UInt8(ascii: ")") { i += 2 } else { i += 1 }
                continue  // captures do not consume text
            }
            if byte == UInt8(ascii: "$"), i == p.count - 1 { break }
            guard let end = try? singleItemEnd(p, i), let choices = literalChoices(p, from: i, to: end) else { break }
            var keepOnce = false
            if end < p.count {
                switch p[end] {
                case UInt8(ascii: "*"), UInt8(ascii: "-"), UInt8(ascii: "?"): break scan  // may match nothing
                case UInt8(ascii: "+"): keepOnce = true
                default: break
                }
            }
            guard prefixes.count * choices.count <= maximumPrefixes else { break }
            prefixes = prefixes.flatMap { prefix in choices.map { prefix + [$0] } }
            if keepOnce { break }
            i = end
        }
        guard let first = prefixes.first, !first.isEmpty else { return nil }
        return prefixes
    }

    /// The bytes one item can match, when it is a literal or a small positive set of literals.
    static func literalChoices(_ p: [UInt8], from start: Int, to end: Int) -> [UInt8]? {
        let byte = p[start]
        switch byte {
        case UInt8(ascii: "."): return nil
        case UInt8(ascii: "%"):
            let escaped = p[start + 1]
            return isAlphanumeric(escaped) ? nil : [escaped]  // %a, %d, %b, %f, %1 … are not literals
        case UInt8(ascii: "["):
            return setChoices(p, from: start + 1, to: end - 1)
        default:
            return [byte]
        }
    }

    /// The members of a set `[...]` whose body is `p[from..<to]`, if it is not negated and holds no classes.
    static func setChoices(_ p: [UInt8], from: Int, to: Int) -> [UInt8]? {
        guard from < to, p[from] != UInt8(ascii: "^") else { return nil }
        var members: [UInt8] = []
        var i = from
        while i < to {
            var byte = p[i]
            if byte == UInt8(ascii: "%") {
                guard i + 1 < to, !isAlphanumeric(p[i + 1]) else { return nil }
                byte = p[i + 1]
                i += 2
            } else if i + 2 < to, p[i + 1] == UInt8(ascii: "-") {
                // A range, as lstrlib reads it: the '-' is followed by something other than the closing ']'.
                guard byte <= p[i + 2], Int(p[i + 2]) - Int(byte) < maximumPrefixes else { return nil }
                members.append(contentsOf: byte...p[i + 2])
                i += 3
                continue
            } else {
                i += 1
            }
            members.append(byte)
        }
        var seen = Set<UInt8>()
        return members.filter { seen.insert($0).inserted }
    }
}
