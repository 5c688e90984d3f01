import Testing

@testable import WardenRuntime

@Suite struct ReplyChunksTests {
    @Test func aShortReplyIsOneMessage() {
        #expect(ReplyChunks.split("pong") == ["pong"])
        let exact = String(repeating: "a", count: 4096)
        #expect(ReplyChunks.split(exact) == [exact])
    }

    @Test func longRepliesSplitAtLineBreaksIntoPartsThatFit() {
        let lines = (1...50).map { "line \($0) " + String(repeating: "x", count: 90) }
        let parts = ReplyChunks.split(lines.joined(separator: "\n"), limit: 1000)
        #expect(parts.joined(separator: "\n") == lines.joined(separator: "\n"))
        #expect(parts.allSatisfy { $0.utf16.count <= 1000 })
        // Whole lines only: every part starts a line.
        #expect(parts.allSatisfy { $0.hasPrefix("line ") })
    }

    @Test func aLineLongerThanAMessageIsCutBetweenCharactersCountedInUTF16() {
        let line = String(repeating: "😀", count: 30)  // two UTF-16 units each
        let parts = ReplyChunks.split("head\n" + line, limit: 25)
        #expect(parts.joined() == "head" + line)
        #expect(parts.allSatisfy { $0.utf16.count <= 25 })
        #expect(parts.first == "head")
    }
}
