import Testing

@testable import WardenRuntime

@Suite struct PatternIndexTests {
    /// A small LCG, so a failing random text can be reproduced.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state ^ (state >> 29)
        }
    }

    static let realistic = [
        "^[!/#]ban$", "^[!/#]ban (%d+)$", "^[!/#]ban @([%w_]+)$", "^[!/#]unban (%d+)$", "^[!/#]kick$", "^[!/#]kickme$",
        "^[!/#]warn (.*)$", "^[!/#][Ll]ock (%a+)$", "^[!/#][Uu]nlock (%a+)$", "^!!tgservice (.+)$", "%[(photo)%]",
        "(https?://%S+)", "^[!/]?help$", "^/start$", "^[Hh]ello", "^%.%.%.", "^[!/#]set(%a+) (.+)$",
        "^[!/#]filter (.+)$", "^[!/#]id$", "^[!/#]info$", "t%.me/", "^[!/#]settings$", "^[!/#]rules$",
        "^[!/#]setrules (.+)$", "^[!/#]promote$", "^[!/#]demote$", "^[!/#]gban (%d+)$", "^@admin", "^[#!/]report",
        "^[!/#]captcha (%a+)$", "^[!/#]plugins$", "^[!/#]purge$", "^[!/#]del$", "^[!/#]mute (%d+[mhd])$",
        "^[!/#]tmute (%d+[mhd])$", "^[!/#]approve$", "^[!/#]stats$", "^[!/#]broadcast (.+)$", "^[!/#]leave (%-?%d+)$",
        "^[!/#]sudo (%a+) (%d+)$", "^[!/#]lang (%a+)$", "^[!/#]welcome (%a+)$", "^[!/#]setwelcome (.+)$",
        "^[!/#]about$", "^([!/#])(ban)", "^[Bb][Aa][Nn]", "^[!/#]setflood (%d+)$", "^x*y", "^ab+c", "^[a-c]z",
        "^(https?://[%w-_%.%?%.:/%+=&]+)$", "^%y[%]-]",
    ]

    /// The brute-force rule the index must follow: a pattern is a candidate iff one of its prefixes starts
    /// the text or, without prefixes, the text holds its required literal (or it has none).
    static func couldMatch(_ pattern: LuaPattern, _ text: [UInt8]) -> Bool {
        guard let prefixes = pattern.literalPrefixes else {
            guard let required = pattern.requiredLiteral else { return true }
            return text.indices.contains { text[$0...].starts(with: required) }
        }
        return prefixes.contains { text.starts(with: $0) }
    }

    @Test func candidatesAreExactlyThePatternsWhosePrefixStartsTheText() throws {
        let patterns = try Self.realistic.map { try LuaPattern($0) }
        let index = PatternIndex(patterns)
        var random = Seeded(state: 0x5EED)
        let alphabet = Array("!/#bankickBANLlock @1234 hello.t.me/xyzabcy]-[photo]https://".utf8)
        // Each pattern's own text, and random texts that share starts with many prefixes.
        var texts = Self.realistic.map { Array($0.utf8.drop { $0 == UInt8(ascii: "^") }) }
        for _ in 0..<5_000 {
            texts.append(
                (0..<Int.random(in: 0...14, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
            )
        }
        for text in texts {
            let expected = patterns.indices.filter { Self.couldMatch(patterns[$0], text) }
            #expect(index.candidates(for: text) == expected, "\(String(decoding: text, as: UTF8.self))")
        }
    }

    // Every pair was checked with lua5.4: string.match(text, pattern) is not nil.
    @Test(arguments: [
        ("^[!/#]ban (.*)$", "/ban everyone"), ("^!!tgservice (.+)$", "!!tgservice chat_add_user"),
        ("^[Bb][Aa][Nn]", "bAn"), ("^(https?://[%w-_%.%?%.:/%+=&]+)$", "https://t.me/x"), ("^[!/]?help$", "help"),
        ("^ab+c", "abbbc"), ("^x*y", "y"), ("^[]]x", "]x"), ("^[!-%]]", "]"), ("^%y%Y", "yY"), ("^()a()b", "ab"),
        ("^(a)%1b", "aab"), ("^a$b", "a$b"), ("^^a", "^a"), ("^*a", "*a"), ("%[(photo)%]", "look [photo]"),
        ("^[a-]x", "-x"), ("^[ab][cd][ef][gh][ij][kl][mn]", "bdfhjln"), ("^/start$", "/start"), ("^[%]%-]x", "-x"),
        ("^[!/#](ban) (%d+)$", "#ban 42"), ("^abc$", "abc"), ("^%.x", ".x"), ("^ab-c", "ac"), ("^ab?c", "ac"),
    ])
    func aPatternLuaMatchesIsAlwaysACandidate(pattern: String, text: String) throws {
        let others = try Self.realistic.map { try LuaPattern($0) }
        let index = PatternIndex(others + [try LuaPattern(pattern)])
        #expect(index.candidates(for: text).contains(others.count))
    }

    @Test func plainTextGetsOnlyUnindexedPatterns() throws {
        let commands = try (0..<500).map { try LuaPattern("^[!/#]cmd\($0)$") }
        let index = PatternIndex(commands)
        #expect(index.candidates(for: "hello everyone") == [])
        #expect(index.indexedCount == 500)
        #expect(index.unindexedCount == 0)

        // Offered where the text holds what every match must: "http".
        let withCatchAll = PatternIndex(commands + [try LuaPattern("(https?://%S+)")])
        #expect(withCatchAll.candidates(for: "hello everyone") == [])
        #expect(withCatchAll.candidates(for: "see https://x.org") == [500])
        #expect(withCatchAll.candidates(for: "see http:") == [500])
        #expect(withCatchAll.unindexedCount == 1)

        // Nothing required: offered for every text.
        let anything = PatternIndex(commands + [try LuaPattern("^.-(%d+)")])
        #expect(anything.candidates(for: "hello everyone") == [500])
    }

    @Test func aCommandGetsThePatternsAlongItsPath() throws {
        let catchAll = try LuaPattern("(https?://%S+)")
        let commands = try (0..<500).map { try LuaPattern("^[!/#]cmd\($0)$") }
        let index = PatternIndex([catchAll] + commands)
        // cmd2, cmd25 and cmd250 all start "/cmd250"; the catch-all comes first by ordinal.
        #expect(index.candidates(for: "/cmd250 http://x") == [0, 3, 26, 251])
        #expect(index.candidates(for: Array("#cmd250 now".utf8)) == [3, 26, 251])
        #expect(index.candidates(for: "cmd250 https://x") == [0])
        #expect(index.candidates(for: "") == [])
    }

    @Test func ordinalsFollowTheGivenOrderAndAppearOnce() throws {
        let patterns = try ["^[Bb]an", "^ban", "x", "^b", "^[Bb][Aa][Nn]"].map { try LuaPattern($0) }
        let index = PatternIndex(patterns)
        #expect(index.candidates(for: "banxana") == [0, 1, 2, 3, 4])
        #expect(index.candidates(for: "banana") == [0, 1, 3, 4])
        #expect(index.candidates(for: "Ban x") == [0, 2, 4])
        #expect(index.candidates(for: "bAN") == [3, 4])
        #expect(index.indexedCount == 4)
    }

    @Test func anEmptyIndexHasNoCandidates() {
        let index = PatternIndex([])
        #expect(index.candidates(for: "/start") == [])
        #expect(index.indexedCount == 0 && index.unindexedCount == 0)
    }
}
