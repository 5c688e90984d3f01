/// A Lua 5.4 pattern, parsed once when its plugin loads.
///
/// Parsing catches what Lua's `lstrlib.c` would only raise while matching some
/// message (`missing ']'`, `ends with '%'`, …), and finds the literal text any
/// match must start with, which `PatternIndex` uses to skip patterns cheaply.
struct LuaPattern: Sendable, Hashable {
    let source: String
    let bytes: [UInt8]
    /// Starts with `^`.
    let isAnchored: Bool
    /// For an anchored pattern, the byte strings one of which every match starts
    /// with (`^[!/#]ban` → `!ban`, `/ban`, `#ban`); nil when that is not known.
    let literalPrefixes: [[UInt8]]?

    /// The most prefixes one pattern expands to; past it the prefix is cut short.
    static let maximumPrefixes = 64
    /// Lua's LUA_MAXCAPTURES.
    static let maximumCaptures = 32

    init(_ source: String) throws(LuaPatternError) {
        self.source = source
        bytes = Array(source.utf8)
        isAnchored = bytes.first == UInt8(ascii: "^")
        try Self.validate(bytes)
        literalPrefixes = isAnchored ? Self.prefixes(of: bytes) : nil
    }
}

/// Why a pattern is malformed, in Lua's own words.
struct LuaPatternError: Error, Sendable, Equatable, CustomStringConvertible {
    var message: String
    /// Byte offset in the pattern where the problem was found.
    var offset: Int

    var description: String { message }
}

extension LuaPattern {
    private static let escape = UInt8(ascii: "%")

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    /// The index just past the set starting at `start` (which holds `[`), as lstrlib's classEnd.
    static func setEnd(_ p: [UInt8], _ start: Int) throws(LuaPatternError) -> Int {
        var i = start + 1
        if i < p.count, p[i] == UInt8(ascii: "^") { i += 1 }
        repeat {
            guard i < p.count else { throw LuaPatternError(message: "malformed pattern (missing ']')", offset: start) }
            let byte = p[i]
            i += 1
            if byte == escape, i < p.count { i += 1 }
        } while i >= p.count || p[i] != UInt8(ascii: "]")
        return i + 1
    }

    /// Walks the whole pattern once, raising the errors lstrlib would raise while matching.
    static func validate(_ p: [UInt8]) throws(LuaPatternError) {
        var i = p.first == UInt8(ascii: "^") ? 1 : 0
        var open: [Bool] = []  // per capture: still open?
        while i < p.count {
            switch p[i] {
            case UInt8(ascii: "("):
                guard open.count < maximumCaptures else {
                    throw LuaPatternError(message: "too many captures", offset: i)
                }
                if i + 1 < p.count, p[i + 1] == UInt8(ascii: ")") {
                    open.append(false)  // a position capture is complete at once
                    i += 2
                } else {
                    open.append(true)
                    i += 1
                }
                continue
            case UInt8(ascii: ")"):
                guard let last = open.lastIndex(of: true) else {
                    throw LuaPatternError(message: "invalid pattern capture", offset: i)
                }
                open[last] = false
                i += 1
                continue
            case escape where i + 1 < p.count && p[i + 1] == UInt8(ascii: "b"):
                guard i + 3 < p.count else {
                    throw LuaPatternError(message: "malformed pattern (missing arguments to '%b')", offset: i)
                }
                i += 4
                continue
            case escape where i + 1 < p.count && p[i + 1] == UInt8(ascii: "f"):
                guard i + 2 < p.count, p[i + 2] == UInt8(ascii: "[") else {
                    throw LuaPatternError(message: "missing '[' after '%f' in pattern", offset: i)
                }
                i = try setEnd(p, i + 2)
                continue
            case escape where i + 1 < p.count && p[i + 1] >= UInt8(ascii: "0") && p[i + 1] <= UInt8(ascii: "9"):
                let index = Int(p[i + 1]) - Int(UInt8(ascii: "1"))
                guard index >= 0, index < open.count, !open[index] else {
                    throw LuaPatternError(message: "invalid capture index %\(index + 1) in pattern", offset: i)
                }
                i += 2
                continue
            default:
                break
            }
            i = try singleItemEnd(p, i)
            if i < p.count, [UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "?")].contains(p[i])
            {
                i += 1
            }
        }
        if open.contains(true) { throw LuaPatternError(message: "unfinished capture", offset: p.count) }
    }

    /// The end of one single-character item at `i`: a literal, `.`, `%x` or a set.
    static func singleItemEnd(_ p: [UInt8], _ i: Int) throws(LuaPatternError) -> Int {
        switch p[i] {
        case escape:
            guard i + 1 < p.count else {
                throw LuaPatternError(message: "malformed pattern (ends with '%')", offset: i)
            }
            return i + 2
        case UInt8(ascii: "["): return try setEnd(p, i)
        default: return i + 1
        }
    }
}
