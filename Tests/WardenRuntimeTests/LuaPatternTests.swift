import Testing

@testable import WardenRuntime

@Suite struct LuaPatternTests {
    static func prefixes(_ pattern: String) throws -> [String]? {
        try LuaPattern(pattern).literalPrefixes?.map { String(decoding: $0, as: UTF8.self) }.sorted()
    }

    // What every match must contain; each case's text was checked to match with lua5.4 where shown.
    @Test(
        arguments: [
            ("(@admins?)%f[%W]", "@admin"), ("(https?://%S+)", "http"), ("%[(photo)%]", "[photo]"), ("t%.me/", "t.me/"),
            ("a+bc", "abc"), ("ab+c", "ab"), ("xa*yz", "yz"), ("ab-cd", "cd"), ("a?bcd?", "bc"), ("^/start$", "/start"),
            ("[b]a[n]", "ban"), ("%w+", nil), ("^.-(%d+)", nil), ("[ab]", nil), ("a%bxyb", "a"), ("%f[%w]ab", "ab"),
            ("(a)()(b)", "ab"), ("x.y", "x"), ("", nil),
        ] as [(String, String?)]
    )
    func requiredLiteralIsTheLongestRunEveryMatchHolds(pattern: String, literal: String?) throws {
        #expect(try LuaPattern(pattern).requiredLiteral.map { String(decoding: $0, as: UTF8.self) } == literal)
    }

    // Messages and offending items are lstrlib.c's own, checked with lua5.4's string.match when written.
    @Test(arguments: [
        ("%", "malformed pattern (ends with '%')", 0), ("abc%", "malformed pattern (ends with '%')", 3),
        ("[abc", "malformed pattern (missing ']')", 0), ("^[]", "malformed pattern (missing ']')", 1),
        ("[^]", "malformed pattern (missing ']')", 0), ("[%", "malformed pattern (missing ']')", 0),
        ("[a%]", "malformed pattern (missing ']')", 0), ("%f[a", "malformed pattern (missing ']')", 2),
        ("%b(", "malformed pattern (missing arguments to '%b')", 0),
        ("x%b", "malformed pattern (missing arguments to '%b')", 1),
        ("%fa", "missing '[' after '%f' in pattern", 0), ("%f", "missing '[' after '%f' in pattern", 0),
        ("(a)%2", "invalid capture index %2", 3), ("%0", "invalid capture index %0", 0),
        ("(a%1)", "invalid capture index %1", 2), ("a%1", "invalid capture index %1", 1),
        ("(a)%2[", "invalid capture index %2", 3),  // the first error along the pattern wins
        ("a)", "invalid pattern capture", 1), ("(a))", "invalid pattern capture", 3),
        ("%w+)", "invalid pattern capture", 3), ("(a", "unfinished capture", 2), ("(()", "unfinished capture", 3),
        (String(repeating: "()", count: 33), "too many captures", 64),
        (String(repeating: "(a)", count: 33), "too many captures", 96),
        (String(repeating: "a?", count: 200), "pattern too complex", 398),
        ("(a)" + String(repeating: "a*", count: 198), "pattern too complex", 397),
    ])
    func malformedPatternsFailWithLuasMessage(pattern: String, message: String, offset: Int) {
        let error = #expect(throws: LuaPatternError.self) { try LuaPattern(pattern) }
        #expect(error == LuaPatternError(message: message, offset: offset))
        #expect(error?.description == message)
    }

    @Test(arguments: [
        "^[!/#]ban (.*)$", "%[(photo)%]", "^(https?://[%w-_%.%?%.:/%+=&]+)$", "[]]", "[^]]", "[%]]", "[a-%]]", "%b()",
        "%f[%w]%w+", "(a)%1", "()", "^$", "", "^", "[a-]", "%%", "a-b*c?d+", "^!!tgservice (.+)$", "$$", "a$b", "^^",
        "*+?-", "%y%Y", "(a)%b()%1", "%f[]]", String(repeating: "()", count: 32), String(repeating: "a?", count: 199),
        "((a)(b))%1%2%3",
    ])
    func wellFormedPatternsLoad(pattern: String) throws {
        let parsed = try LuaPattern(pattern)
        #expect(parsed.source == pattern)
        #expect(parsed.bytes == Array(pattern.utf8))
    }

    @Test func anchoringIsACaretAtTheStartOnly() throws {
        #expect(try LuaPattern("^/start$").isAnchored)
        #expect(try LuaPattern("^").isAnchored)
        #expect(try !LuaPattern("/start$").isAnchored)
        #expect(try !LuaPattern("a^b").isAnchored)
        #expect(try !LuaPattern("").isAnchored)
    }

    @Test(arguments: [
        // yagop-style commands
        ("^[!/#]ban", ["!ban", "#ban", "/ban"]), ("^[!/#](ban) (%d+)$", ["!ban ", "#ban ", "/ban "]),
        ("^!!tgservice (.+)$", ["!!tgservice "]), ("^/start$", ["/start"]), ("^[Bb]an", ["Ban", "ban"]),
        ("^(https?://[%w-_%.%?%.:/%+=&]+)$", ["http"]),
        ("^[Bb][Aa][Nn]", ["BAN", "BAn", "BaN", "Ban", "bAN", "bAn", "baN", "ban"]),
        // captures consume nothing
        ("^([!/#])(ban)", ["!ban", "#ban", "/ban"]), ("^()a()b", ["ab"]), ("^(a)%1b", ["a"]),
        // escapes: punctuation and non-class letters are literals
        ("^%.x", [".x"]), ("^%%d", ["%d"]), ("^%y%Y", ["yY"]), ("^[%y%.]", [".", "y"]), ("^[%]%-]x", ["-x", "]x"]),
        // sets, read as lstrlib reads them
        ("^[]]x", ["]x"]), ("^[a-c]x", ["ax", "bx", "cx"]), ("^[a-]x", ["-x", "ax"]),
        ("^[!-%]]", ["!", "\"", "#", "$", "%", "]"]), ("^x[z-a]", ["x"]), ("^x[ -~]", ["x"]),
        // the prefix stops where the text is no longer fixed
        ("^ab*c", ["a"]), ("^ab-c", ["a"]), ("^ab?c", ["a"]), ("^ab+c", ["ab"]), ("^a.c", ["a"]), ("^a%dc", ["a"]),
        ("^a%zc", ["a"]), ("^a[^b]c", ["a"]), ("^a[%a_]c", ["a"]), ("^a%bxyc", ["a"]), ("^a%f[%w]b", ["a"]),
        ("^abc$", ["abc"]), ("^a$b", ["a$b"]), ("^^a", ["^a"]), ("^*a", ["*a"]),
    ])
    func prefixesOfAnchoredPatterns(pattern: String, expected: [String]) throws {
        #expect(try Self.prefixes(pattern) == expected)
    }

    @Test(arguments: [
        "%[(photo)%]", "ban", "(https?://%S+)", "^[!/]?help$", "^$", "^", "^.", "^%a+", "^[^]]x", "^[z-a]x", "^[ -~]",
        "^(%d+)", "^%bxy", "^%f[%a]", "^x*y", "^()",
    ])
    func patternsWithoutAFixedStartHaveNoPrefixes(pattern: String) throws {
        #expect(try Self.prefixes(pattern) == nil)
    }

    @Test func expansionIsCappedByCuttingThePrefixShort() throws {
        let prefixes = try #require(try Self.prefixes("^[ab][cd][ef][gh][ij][kl][mn]"))
        #expect(prefixes.count == LuaPattern.maximumPrefixes)
        #expect(prefixes.allSatisfy { $0.count == 6 })
        #expect(try Self.prefixes("^x[a-z][a-z]")?.count == 26)  // 26 × 26 would exceed the cap
        #expect(try Self.prefixes("^[ -~]x") == nil)  // 95 choices for the very first byte
    }
}
