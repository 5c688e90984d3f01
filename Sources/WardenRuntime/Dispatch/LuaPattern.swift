/// A Lua 5.4 pattern, parsed once when its plugin loads.
///
/// Parsing raises, as a load error, what Lua's `lstrlib.c` would otherwise only
/// raise while matching some later message (`missing ']'`, `unfinished capture`,
/// …), and finds the literal text every match must start with, or at least
/// contain, which `PatternIndex` uses to skip patterns that cannot match.
struct LuaPattern: Sendable, Hashable {
    /// The pattern as the plugin wrote it.
    let source: String
    /// The pattern's bytes, as Lua sees them.
    let bytes: [UInt8]
    /// Whether the pattern starts with `^`, so it can only match at the start of a text.
    let isAnchored: Bool
    /// The byte strings one of which every text the pattern matches starts with.
    ///
    /// `^[!/#]ban` gives `!ban`, `/ban` and `#ban`. Nil when the pattern is not
    /// anchored or its first item is not a literal, i.e. it is not indexed by its start (only by
    /// `requiredLiteral`, if it has one).
    let literalPrefixes: [[UInt8]]?
    /// The longest run of literal bytes every text the pattern matches contains: `(@admins?)%f[%W]`
    /// gives `@admin`. Nil when no item is a plain literal that must appear.
    let requiredLiteral: [UInt8]?

    /// The most prefixes one pattern expands to; the prefix stops at the item that would exceed it.
    static let maximumPrefixes = 64
    /// lstrlib's LUA_MAXCAPTURES.
    static let maximumCaptures = 32
    /// lstrlib's MAXCCALLS: how deeply `match` may recurse before "pattern too complex".
    static let maximumDepth = 200

    /// Parses `source`, throwing the error Lua would raise when matching it.
    init(_ source: String) throws(LuaPatternError) {
        self.source = source
        bytes = Array(source.utf8)
        isAnchored = bytes.first == Byte.caret
        let items = try Self.parse(bytes)
        literalPrefixes = isAnchored ? Self.prefixes(of: bytes, items: items) : nil
        requiredLiteral = Self.requiredLiteral(of: bytes, items: items)
    }
}

/// Why a pattern is malformed, in Lua's own words.
struct LuaPatternError: Error, Sendable, Equatable, CustomStringConvertible {
    /// lstrlib's message, e.g. `malformed pattern (missing ']')`.
    var message: String
    /// Byte offset in the pattern of the item Lua would stop at.
    var offset: Int

    /// The message alone, as Lua would report it.
    var description: String { message }
}

extension LuaPattern {
    private enum Byte {
        static let caret = UInt8(ascii: "^")
        static let dollar = UInt8(ascii: "$")
        static let percent = UInt8(ascii: "%")
        static let open = UInt8(ascii: "(")
        static let close = UInt8(ascii: ")")
        static let bracket = UInt8(ascii: "[")
        static let closeBracket = UInt8(ascii: "]")
        static let dot = UInt8(ascii: ".")
        static let dash = UInt8(ascii: "-")
        static let plus = UInt8(ascii: "+")
        static let digits: ClosedRange<UInt8> = 0x30...0x39
        static let quantifiers: [UInt8] = Array("*+-?".utf8)
        /// Letters that name a class after `%` (lowercase; uppercase is the complement). `%z` is 5.4's deprecated NUL.
        static let classLetters: [UInt8] = Array("acdglpsuwxz".utf8)
    }

    /// One step of lstrlib's `match`, as far as prefixes care.
    private enum Item {
        /// `(`, `)` or `()`: consumes no text.
        case capture
        /// A literal, `.`, `%x` or `[set]` at `range` of the pattern, with its `*`, `+`, `-` or `?`.
        case single(Range<Int>, quantifier: UInt8?)
        /// `%b`, `%f[set]`, a back-reference or the final `$`.
        case other
    }

    /// Walks the pattern as lstrlib's `match` would, raising its errors in the same order.
    private static func parse(_ p: [UInt8]) throws(LuaPatternError) -> [Item] {
        var items: [Item] = []
        var closed: [Bool] = []  // per capture opened so far: has its `)` been seen?
        var depth = 0  // nested `match` calls along the pattern: each capture edge and quantifier adds one
        var i = p.first == Byte.caret ? 1 : 0
        while i < p.count {
            let start = i
            let next: UInt8? = i + 1 < p.count ? p[i + 1] : nil
            switch p[i] {
            case Byte.open:
                guard closed.count < maximumCaptures else {
                    throw LuaPatternError(message: "too many captures", offset: i)
                }
                let isPosition = next == Byte.close  // `()` captures a position and is complete at once
                closed.append(isPosition)
                i += isPosition ? 2 : 1
                depth += 1
                items.append(.capture)
            case Byte.close:
                guard let capture = closed.lastIndex(of: false) else {
                    throw LuaPatternError(message: "invalid pattern capture", offset: i)
                }
                closed[capture] = true
                i += 1
                depth += 1
                items.append(.capture)
            case Byte.dollar where i == p.count - 1:
                i += 1
                items.append(.other)
            case Byte.percent where next == UInt8(ascii: "b"):
                guard i + 3 < p.count else {
                    throw LuaPatternError(message: "malformed pattern (missing arguments to '%b')", offset: i)
                }
                i += 4
                items.append(.other)
            case Byte.percent where next == UInt8(ascii: "f"):
                guard i + 2 < p.count, p[i + 2] == Byte.bracket else {
                    throw LuaPatternError(message: "missing '[' after '%f' in pattern", offset: i)
                }
                i = try singleItemEnd(p, i + 2)
                items.append(.other)
            case Byte.percent where next.map(Byte.digits.contains) == true:
                let index = Int(p[i + 1]) - 0x31  // `%1` is capture 0; `%0` is -1, always invalid
                guard index >= 0, index < closed.count, closed[index] else {
                    throw LuaPatternError(message: "invalid capture index %\(index + 1)", offset: i)
                }
                i += 2
                items.append(.other)
            default:
                let end = try singleItemEnd(p, i)
                let quantifier = end < p.count && Byte.quantifiers.contains(p[end]) ? p[end] : nil
                if quantifier != nil { depth += 1 }
                items.append(.single(i..<end, quantifier: quantifier))
                i = quantifier == nil ? end : end + 1
            }
            // The first `match` call takes one level of MAXCCALLS.
            guard depth < maximumDepth else { throw LuaPatternError(message: "pattern too complex", offset: start) }
        }
        if closed.contains(false) { throw LuaPatternError(message: "unfinished capture", offset: p.count) }
        return items
    }

    /// The index just past the single-byte item at `i` (a literal, `.`, `%x` or a set): lstrlib's `classEnd`.
    static func singleItemEnd(_ p: [UInt8], _ i: Int) throws(LuaPatternError) -> Int {
        switch p[i] {
        case Byte.percent:
            guard i + 1 < p.count else {
                throw LuaPatternError(message: "malformed pattern (ends with '%')", offset: i)
            }
            return i + 2
        case Byte.bracket:
            var j = i + 1
            if j < p.count, p[j] == Byte.caret { j += 1 }
            // The first member is taken before looking for ']', so `[]x]` and `[^]x]` hold a literal ']'.
            repeat {
                guard j < p.count else {
                    throw LuaPatternError(message: "malformed pattern (missing ']')", offset: i)
                }
                j += p[j] == Byte.percent ? 2 : 1
            } while j >= p.count || p[j] != Byte.closeBracket
            return j + 1
        default:
            return i + 1
        }
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// Whether `%c` stands for `c` itself: lstrlib's `match_class` compares any escape but a class letter literally.
    static func escapesToLiteral(_ c: UInt8) -> Bool {
        !isAlphanumeric(c) || !Byte.classLetters.contains(c | 0x20)  // `| 0x20` lowercases letters, keeps digits
    }

    /// Expands the literal start of an anchored pattern, item by item, until an item is not a small literal choice.
    private static func prefixes(of p: [UInt8], items: [Item]) -> [[UInt8]]? {
        var prefixes: [[UInt8]] = [[]]
        scan: for item in items {
            switch item {
            case .capture:
                continue
            case .other:
                break scan
            case .single(let range, let quantifier):
                // `*`, `-` and `?` may match nothing, so the text after may start right here.
                guard quantifier == nil || quantifier == Byte.plus, let choices = literalChoices(p[range]),
                    prefixes.count * choices.count <= maximumPrefixes
                else { break scan }
                prefixes = prefixes.flatMap { prefix in choices.map { prefix + [$0] } }
                if quantifier != nil { break scan }  // `+`: once for sure, then an unknown number more
            }
        }
        return prefixes[0].isEmpty ? nil : prefixes
    }

    /// Items match one after another, so literals in a row (captures between them consume nothing) match
    /// bytes in a row: the longest such run. `*`, `-`, `?`, classes, sets of more than one byte and the rest
    /// end a run.
    private static func requiredLiteral(of p: [UInt8], items: [Item]) -> [UInt8]? {
        var longest: [UInt8] = []
        var run: [UInt8] = []
        for item in items {
            if case .capture = item { continue }
            if case .single(let range, let quantifier) = item, quantifier == nil || quantifier == Byte.plus,
                let choices = literalChoices(p[range]), choices.count == 1
            {
                run.append(choices[0])
                if quantifier == nil { continue }
                // `+`: its byte ends what came before, and its last repetition starts what follows.
                if run.count > longest.count { longest = run }
                run = [choices[0]]
                continue
            }
            if run.count > longest.count { longest = run }
            run = []
        }
        if run.count > longest.count { longest = run }
        return longest.isEmpty ? nil : longest
    }

    /// The bytes a single item matches, ascending, when it is a literal or a small positive set of them.
    private static func literalChoices(_ item: ArraySlice<UInt8>) -> [UInt8]? {
        let first = item[item.startIndex]
        switch first {
        case Byte.dot: return nil
        case Byte.percent:
            let escaped = item[item.startIndex + 1]
            return escapesToLiteral(escaped) ? [escaped] : nil
        case Byte.bracket: return setMembers(item.dropFirst().dropLast())
        default: return [first]
        }
    }

    /// The members of a set whose body (between `[` and `]`) is `body`, read as lstrlib's `matchbracketclass` does.
    private static func setMembers(_ body: ArraySlice<UInt8>) -> [UInt8]? {
        guard body.first != Byte.caret else { return nil }
        var members = Set<UInt8>()
        var i = body.startIndex
        while i < body.endIndex {
            let byte = body[i]
            if byte == Byte.percent {
                let escaped = body[i + 1]  // classEnd guarantees it
                guard escapesToLiteral(escaped) else { return nil }
                members.insert(escaped)
                i += 2
            } else if i + 2 < body.endIndex, body[i + 1] == Byte.dash {
                let last = body[i + 2]
                // A reversed range matches nothing; a wide one is not worth expanding.
                if byte <= last {
                    guard Int(last) - Int(byte) < maximumPrefixes else { return nil }
                    members.formUnion(byte...last)
                }
                i += 3
            } else {
                members.insert(byte)
                i += 1
            }
        }
        return members.isEmpty || members.count > maximumPrefixes ? nil : members.sorted()
    }
}
