import BotAPISpec
import Testing
import WardenJSON

@Suite("Markdown and HTML entity parsing")
struct FormattedTextTests {
    func parse(_ text: String, _ mode: String) throws -> FormattedText {
        try FormattedText.parse(text, mode: mode).get()
    }

    func error(_ text: String, _ mode: String) -> String? {
        if case .failure(let error) = FormattedText.parse(text, mode: mode) { return error.message }
        return nil
    }

    @Test func htmlTagsBecomeEntitiesWithUTF16Offsets() throws {
        let parsed = try parse("Hi <b>bold</b> 👋 <a href=\"https://t.me/x?a=1&amp;b=2\">link</a> &lt;3", "HTML")
        #expect(parsed.text == "Hi bold 👋 link <3")
        #expect(parsed.entities.count == 2)
        #expect(parsed.entities[0] == ["type": "bold", "offset": 3, "length": 4])
        // The emoji is two UTF-16 units.
        #expect(
            parsed.entities[1] == ["type": "text_link", "offset": 11, "length": 4, "url": "https://t.me/x?a=1&b=2"]
        )
    }

    @Test func htmlErrorsUseTelegramsWording() {
        #expect(error("1 < 2", "HTML") == "Unsupported start tag \"\" at byte offset 2")
        #expect(error("<foo>x</foo>", "HTML") == "Unsupported start tag \"foo\" at byte offset 0")
        #expect(error("<b>x</i>", "HTML") == "Unmatched end tag at byte offset 4, expected \"</b>\", found \"</i>\"")
        #expect(error("<b>x", "HTML") == "Can't find end tag corresponding to start tag \"b\"")
        #expect(error("a & b &copy;", "HTML") == nil, "unknown entities stay literal")
    }

    @Test func preWithLanguage() throws {
        let parsed = try parse("<pre><code class=\"language-swift\">let x</code></pre>", "HTML")
        #expect(parsed.text == "let x")
        #expect(parsed.entities == [["type": "pre", "offset": 0, "length": 5, "language": "swift"]])
    }

    @Test func markdownV2RequiresEscapingReservedCharacters() throws {
        #expect(
            error("Hello!", "MarkdownV2") == "Character '!' is reserved and must be escaped with the preceding '\\'"
        )
        #expect(error("*bold", "MarkdownV2") == "Can't find end of Bold entity at byte offset 0")
        let parsed = try parse("*bold* _it_ __u__ ~s~ ||sp|| [t](https://x.y/\\)) `c.d` 1\\.5", "MarkdownV2")
        #expect(parsed.text == "bold it u s sp t c.d 1.5")
        let types = parsed.entities.compactMap { $0["type"]?.string }
        #expect(types == ["bold", "italic", "underline", "strikethrough", "spoiler", "text_link", "code"])
        #expect(parsed.entities[5]["url"] == "https://x.y/)")
    }

    @Test func legacyMarkdown() throws {
        let parsed = try parse("*b* _i_ `c` [t](http://a.b) 1.5!", "Markdown")
        #expect(parsed.text == "b i c t 1.5!")
        #expect(parsed.entities.count == 4)
        #expect(error("*unclosed", "Markdown") == "Can't find end of the entity starting at byte offset 0")
    }
}
