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
    func plainTextTriesOnlyUnanchoredPatterns(commandCount: Int) throws {
        let test = try TestHost(plugins: Self.commandPlugins(commandCount))
        for _ in 0..<20 { test.send(Fixture.message("hello everyone, how are you today?")) }
        // Only the one unanchored pattern is tried, whatever the number of commands.
        #expect(test.host.stats.patternAttempts == 20)
        #expect(test.replies.isEmpty)
    }

    @Test func aCommandTriesItsOwnPatternsNotAllOfThem() throws {
        let test = try TestHost(plugins: Self.commandPlugins(500))
        test.send(Fixture.message("/cmd250"))
        #expect(test.replies == ["cmd"])
        // Candidates are the patterns whose literal prefix starts the text: cmd2, cmd25, cmd250,
        // plus the unanchored one; not the other 497.
        #expect(test.host.stats.patternAttempts == 4)
    }
}
