import Testing

@testable import WardenRuntime

@Suite struct LuaPatternTests {
    func prefixes(_ pattern: String) throws -> [String]? {
        try LuaPattern(pattern).literalPrefixes?.map { String(decoding: $0, as: UTF8.self) }.sorted()
    }

    // The messages are lstrlib.c's own, checked against lua5.4 when written.
    @Test(arguments: [
        ("%", "malformed pattern (ends with '%')"), ("abc%", "malformed pattern (ends with '%')"),
        ("[abc", "malformed pattern (missing ']')"), ("^[]", "malformed pattern (missing ']')"),
        ("[%", "malformed pattern (missing ']')"), ("%b(", "malformed pattern (missing arguments to '%b')"),
        ("%fa", "missing '[' after '%f' in pattern"), ("(a)%2", "invalid capture index %2 in pattern"),
        ("%0", "invalid capture index %0 in pattern"), ("(a%1)", "invalid capture index %1 in pattern"),
        ("a)", "invalid pattern capture"), ("(a", "unfinished capture"),
        (String(repeating: "(a)", count: 33), "too many captures"),
    ])
    func malformedPatternsFailWithLuasMessage(pattern: String, message: String) {
        let error = #expect(throws: LuaPatternError.self) { try LuaPattern(pattern) }
        #expect(error?.message == message)
    }

    @Test(arguments: [
        "^[!/#]ban (.*)$", "%[(photo)%]", "^(https?://[%w-_%.%?%.:/%+=&]+)$", "[]]", "[^]]", "%b()", "%f[%w]%w+",
        "(a)%1", "()", "^$", "[a-]", "%%", "a-b*c?d+", "^!!tgservice (.+)$",
    ])
    func wellFormedPatternsLoad(pattern: String) throws {
        _ = try LuaPattern(pattern)
    }

    @Test func prefixesExpandSmallSetsAndSkipCaptures() throws {
        #expect(try prefixes("^[!/#]ban") == ["!ban", "#ban", "/ban"])
        #expect(try prefixes("^([!/#])(ban)") == ["!ban", "#ban", "/ban"])
        #expect(try prefixes("^[Bb]an") == ["Ban", "ban"])
        #expect(try prefixes("^[Bb][Aa][Nn]")?.count == 8)
        #expect(try prefixes("^!!tgservice (.+)$") == ["!!tgservice "])
        #expect(try prefixes("^/start$") == ["/start"])
        #expect(try prefixes("^%.x") == [".x"])
        #expect(try prefixes("^[a-c]x") == ["ax", "bx", "cx"])
        #expect(try prefixes("^[%]x]y") == ["]y", "xy"])
    }

    @Test func prefixesStopWhereTextIsNoLongerFixed() throws {
        #expect(try prefixes("^ab*c") == ["a"])  // b may be absent
        #expect(try prefixes("^ab+c") == ["ab"])  // b at least once, then unknown
        #expect(try prefixes("^ab-c") == ["a"])
        #expect(try prefixes("^ab?c") == ["a"])
        #expect(try prefixes("^a.c") == ["a"])
        #expect(try prefixes("^a%dc") == ["a"])
        #expect(try prefixes("^a[^b]c") == ["a"])
        #expect(try prefixes("^a[%a]c") == ["a"])
        #expect(try prefixes("^a%bxy") == ["a"])
        #expect(try prefixes("^a%f[%w]") == ["a"])
        #expect(try prefixes("^[a-z]")?.count == 26)  // a range expands while within the cap
    }

    @Test func patternsWithoutAFixedStartAreNotIndexed() throws {
        #expect(try prefixes("%[(photo)%]") == nil)
        #expect(try prefixes("^[!/]?help$") == nil)
        #expect(try prefixes("^.") == nil)
        #expect(try prefixes("ban") == nil)
        #expect(try prefixes("^$") == nil)
    }

    @Test func expansionIsCappedByCuttingThePrefixShort() throws {
        let prefixes = try #require(try self.prefixes("^[ab][cd][ef][gh][ij][kl][mn]"))
        #expect(prefixes.count == 64)
        #expect(prefixes.allSatisfy { $0.count == 6 })
    }
}

@Suite struct PatternIndexTests {
    static let realistic = [
        "^[!/#]ban$", "^[!/#]ban (%d+)$", "^[!/#]ban @([%w_]+)$", "^[!/#]unban (%d+)$", "^[!/#]kick$", "^[!/#]kickme$",
        "^[!/#]warn (.*)$", "^[!/#][Ll]ock (%a+)$", "^[!/#][Uu]nlock (%a+)$", "^!!tgservice (.+)$", "%[(photo)%]",
        "(https?://%S+)", "^[!/]?help$", "^/start$", "^[Hh]ello", "^%.%.%.", "^[!/#]set(%a+) (.+)$",
        "^[!/#]filter (.+)$", "^[!/#]id$", "^[!/#]info$", "t%.me/", "^[!/#]settings$", "^[!/#]rules$",
        "^[!/#]setrules (.+)$", "^[!/#]promote$", "^[!/#]demote$", "^[!/#]gban (%d+)$", "^@admin", "^[#!/]report",
        "^[!/#]captcha (%a+)$", "^[!/#]plugins$", "^[!/#]purge$", "^[!/#]del$", "^[!/#]mute (%d+[mhd])$",
        "^[!/#]tmute (%d+[mhd])$", "^[!/#]approve$", "^[!/#]stats$", "^[!/#]broadcast (.+)$", "^[!/#]leave (%-?%d+)$",
        "^[!/#]sudo (%a+) (%d+)$", "^[!/#]lang (%a+)$", "^[!/#]welcome (%a+)$", "^[!/#]setwelcome (.+)$",
        "^[!/#]about$", "^[!/#]antiraid (.+)$", "^[!/#]floodaction (.+)$", "^[!/#]setflood (%d+)$", "^x*y", "^ab+c",
        "^[a-c]z",
    ]

    /// A pattern can match a text only if one of its prefixes starts the text (or it has none).
    static func couldMatch(_ pattern: LuaPattern, _ text: [UInt8]) -> Bool {
        guard let prefixes = pattern.literalPrefixes else { return true }
        return prefixes.contains { text.starts(with: $0) }
    }

    @Test func candidatesAreExactlyThePatternsWhosePrefixStartsTheText() throws {
        let patterns = try Self.realistic.map { try LuaPattern($0) }
        let index = PatternIndex(patterns)
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("!/#bankickBLlock @1234 hello.t.me/xyzabc".utf8)
        var texts = Self.realistic.map { pattern in Array(pattern.utf8.drop { $0 == UInt8(ascii: "^") }) }
        for _ in 0..<3_000 {
            let length = Int.random(in: 0...12, using: &generator)
            texts.append((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
        }
        texts += ["/ban 42", "!kickme", "#Lock links", "!!tgservice chat_add_user", "/start", "...", "@admin"].map {
            Array($0.utf8)
        }
        for text in texts {
            let expected = patterns.indices.filter { Self.couldMatch(patterns[$0], text) }
            #expect(index.candidates(for: text) == expected, "\(String(decoding: text, as: UTF8.self))")
        }
    }

    @Test func plainTextGetsOnlyUnindexedPatterns() throws {
        let commands = try (0..<500).map { try LuaPattern("^[!/#]cmd\($0)$") }
        let index = PatternIndex(commands + [try LuaPattern("(https?://%S+)")])
        #expect(index.candidates(for: Array("hello everyone".utf8)) == [500])
        #expect(index.unindexedCount == 1)
    }
}
