import Testing
import WardenJSON

@testable import WardenRuntime

/// The cost of a plain message must not grow with the number of command patterns.
@Suite struct PatternIndexDispatchTests {
    static func commandPlugins(_ count: Int) -> [(String, String)] {
        let patterns = (0..<count).map { #""^[!/#]cmd\#($0)$""# }.joined(separator: ", ")
        return [
            ("commands", "return { patterns = { \(patterns) }, run = function(msg, m) return 'cmd' end }"),
            (
                "catch_all",
                #"return { patterns = { "(https?://%S+)" }, run = function(msg, m) return "link " .. m[1] end }"#
            ),
        ]
    }

    @Test(arguments: [10, 100, 500])
    func plainTextTriesOnlyTheUnanchoredPatternsItCouldMatch(commandCount: Int) throws {
        let test = try TestHost(plugins: Self.commandPlugins(commandCount))
        for _ in 0..<20 { test.send(Fixture.message("hello everyone, how are you today?")) }
        // Not even the unanchored pattern: the text lacks the "http" every link it matches holds.
        #expect(test.host.stats.patternAttempts == 0)
        for _ in 0..<20 { test.send(Fixture.message("is http a protocol?")) }
        // Only the one unanchored pattern is tried, whatever the number of commands.
        #expect(test.host.stats.patternAttempts == 20)
        #expect(test.replies.isEmpty)
        test.send(Fixture.message("see https://example.org"))
        #expect(test.replies == ["link https://example.org"])
    }

    @Test func aCommandTriesItsOwnPatternsNotAllOfThem() throws {
        let test = try TestHost(plugins: Self.commandPlugins(500))
        test.send(Fixture.message("/cmd250"))
        #expect(test.replies == ["cmd"])
        // Candidates are the patterns whose literal prefix starts the text: cmd2, cmd25, cmd250; not the
        // other 497, nor the unanchored one (no "http" in the text).
        #expect(test.host.stats.patternAttempts == 3)
    }
}
