import Testing
import WardenJSON

@Suite struct MalformedInputTests {
    @Test func emptyInputThrows() {
        #expect(parseFailure("")?.kind == .emptyInput)
        #expect(parseFailure(" \n\t\r ")?.kind == .emptyInput)
        #expect(parseFailure([0xEF, 0xBB, 0xBF])?.kind == .emptyInput)
    }

    @Test func surroundingWhitespaceIsAllowed() throws {
        #expect(try JSONValue(parsing: " \t\n\r{ \"a\" : [ 1 , 2 ] }\n ") == ["a": [1, 2]])
    }

    @Test(
        "trailing garbage after the value is rejected",
        arguments: [
            ("{} x", 3), ("1 2", 2), ("[]]", 2), ("nullx", 4), ("\"a\"\"b\"", 3), ("0x10", 1),
        ]
    )
    func trailingGarbageThrows(_ text: String, _ offset: Int) {
        let error = parseFailure(text)
        #expect(error?.kind == .trailingData)
        #expect(error?.offset == offset)
    }

    @Test func errorsNameTheCharacterAndOffset() {
        #expect(parseFailure(#"{"id": 17, "x": y}"#)?.description == "unexpected character 'y' at byte 16")
        #expect(parseFailure("[1 2]")?.description == "expected ',' or ']' in array, found '2' at byte 3")
        #expect(parseFailure(#"{"a" 1}"#)?.description == "expected ':' after object key, found '1' at byte 5")
        #expect(parseFailure(#"{"a":1,}"#)?.kind == .unexpectedCharacter)
        #expect(parseFailure("[1,]")?.offset == 3)
        #expect(parseFailure("trux")?.description == "unexpected character 'x' at byte 3")
        #expect(parseFailure("[\u{1}]")?.description == "unexpected character byte 0x01 at byte 1")
        #expect(parseFailure(#"["abc"#)?.description == "unterminated string starting at byte 1")
    }

    @Test func everyTruncationOfADocumentThrows() {
        let document = Array(#"{"a":[1,true,null,"x\n",{"b":-2.5e3}],"c":false}"#.utf8)
        for length in 0..<document.count {
            let error = parseFailure(Array(document[..<length]))
            #expect(error != nil, "prefix of \(length) bytes parsed")
        }
        // A truncated literal reports the end of input, not a bogus character.
        #expect(parseFailure("[tru")?.kind == .unexpectedEnd)
        #expect(parseFailure("[1,")?.description == "unexpected end of input at byte 3")
    }

    @Test func nestingUpToMaxDepthParsesAndOneMoreThrows() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(try JSONValue(parsing: ok).array != nil)
        let deep = "{\"a\":" + String(repeating: "[", count: 64) + String(repeating: "]", count: 64) + "}"
        let error = parseFailure(deep)
        #expect(error?.kind == .tooDeep)
        #expect(error?.description == "nesting deeper than 64 at byte 68")
    }

    @Test func tenThousandOpenBracketsThrowInsteadOfCrashing() {
        #expect(parseFailure(String(repeating: "[", count: 10_000))?.kind == .tooDeep)
        #expect(parseFailure(String(repeating: "{\"a\":", count: 10_000))?.kind == .tooDeep)
        // Even a caller who lifts the limit cannot overflow the stack: open containers are heap stacks.
        let lifted = JSONLimits(maxDepth: 10_000_000)
        #expect(parseFailure(String(repeating: "[", count: 1_000_000), limits: lifted)?.kind == .unexpectedEnd)
    }

    @Test func inputLargerThanMaxBytesIsRejectedBeforeParsing() {
        let limits = JSONLimits(maxBytes: 10)
        #expect(parseFailure("[1,2,3,4,5]", limits: limits)?.kind == .tooLarge)
        #expect(parseFailure("[1,2,3,4]", limits: limits) == nil)
        #expect(throws: JSONError.self) {
            try JSONValue(parsing: Array("[1,2,3,4,5]".utf8).lazy.map { $0 }, limits: limits)
        }
    }
}
