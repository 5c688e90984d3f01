import Testing
import WardenJSON

@Suite struct StringTests {
    @Test func allEscapesDecode() throws {
        let value = try JSONValue(parsing: #""\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\u0000""#)
        #expect(value == .string("\"\\/\u{8}\u{C}\n\r\tAé€\u{0}"))
    }

    @Test func surrogatePairsCombine() throws {
        #expect(try JSONValue(parsing: #""\ud83d\ude00""#) == "😀")
        #expect(try JSONValue(parsing: #""x\uD83D\uDEABy""#) == "x🚫y")
        #expect(try JSONValue(parsing: #""\udbff\udfff""#) == .string("\u{10FFFF}"))
    }

    @Test(
        "lone surrogates become U+FFFD",
        arguments: [
            (#""\ud83d""#, "\u{FFFD}"), (#""\ude00x""#, "\u{FFFD}x"), (#""\ud83dA""#, "\u{FFFD}A"),
            (#""\ud83d\u0041""#, "\u{FFFD}A"), (#""\ud83d\ud83d\ude00""#, "\u{FFFD}😀"), (#""\ud83d\n""#, "\u{FFFD}\n"),
        ]
    )
    func loneSurrogatesBecomeReplacementCharacter(_ text: String, _ expected: String) throws {
        #expect(try JSONValue(parsing: text) == .string(expected))
    }

    @Test("invalid escapes are rejected", arguments: [#""\x""#, #""\u12G4""#, #""\u12""#, #""\U0041""#, #""\'""#])
    func invalidEscapesThrow(_ text: String) {
        #expect(parseFailure(text)?.kind == .invalidEscape)
        #expect(parseFailure(text)?.offset == 1)
    }

    @Test func rawNonASCIIIsKept() throws {
        #expect(try JSONValue(parsing: #""Алиса 🛡️ €""#) == "Алиса 🛡️ €")
    }

    @Test func serializerEscapesOnlyWhatRFC8259Requires() {
        let value = JSONValue.string("\u{0}\u{1F}\"\\\n\r\t\u{8}\u{C}/\u{7F}é😀")
        let expected = #""\u0000\u001f\"\\\n\r\t\b\f/"# + "\u{7F}é😀\""
        #expect(value.jsonString == expected)
    }

    @Test("raw control characters inside strings are rejected", arguments: [0x00, 0x01, 0x0A, 0x09, 0x1F] as [UInt8])
    func controlCharactersThrow(_ byte: UInt8) {
        let error = parseFailure([0x22, 0x61, byte, 0x62, 0x22])
        #expect(error?.kind == .controlCharacter)
        #expect(error?.offset == 2)
        // The slow (escaped) path checks the same rule.
        #expect(parseFailure([0x22, 0x5C, 0x6E, byte, 0x22])?.kind == .controlCharacter)
    }

    @Test(
        "invalid UTF-8 is rejected with its offset",
        arguments: [
            ([0x22, 0xFF, 0x22], 1),  // never valid
            ([0x22, 0x61, 0x80, 0x22], 2),  // stray continuation
            ([0x22, 0xC0, 0x80, 0x22], 1),  // overlong NUL
            ([0x22, 0xE0, 0x80, 0x80, 0x22], 2),  // overlong three-byte
            ([0x22, 0xED, 0xA0, 0x80, 0x22], 2),  // encoded surrogate
            ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 2),  // beyond U+10FFFF
            ([0x22, 0xE2, 0x82, 0x22], 3),  // truncated by the closing quote
            ([0x22, 0x5C, 0x6E, 0xC3, 0x28, 0x22], 4),  // bad continuation on the escaped path
            ([0x22, 0xF0, 0x9F], 1),  // truncated by end of input
        ] as [([UInt8], Int)]
    )
    func invalidUTF8Throws(_ bytes: [UInt8], _ offset: Int) {
        let error = parseFailure(bytes)
        #expect(error?.kind == .invalidUTF8)
        #expect(error?.offset == offset)
        #expect(error?.description.contains("invalid UTF-8") == true)
    }

    @Test func maxStringBytesCapsValuesAndKeys() throws {
        let limits = JSONLimits(maxStringBytes: 5)
        #expect(try JSONValue(parsing: #"{"abcde":"\u00e9abc"}"#, limits: limits) == ["abcde": "éabc"])
        #expect(parseFailure(#"["abcdef"]"#, limits: limits)?.kind == .stringTooLong)
        #expect(parseFailure(#"{"abcdef":1}"#, limits: limits)?.offset == 1)
        #expect(parseFailure(#"["\n\n\n\n\n\n"]"#, limits: limits)?.kind == .stringTooLong)
    }
}
