import Foundation
import Testing
import WardenJSON
import WardenTestSupport

@testable import WardenRuntime

/// Hostile updates, from raw bytes through the project's JSON decoder into `PluginHost.handle`: each is
/// refused (with a log line) or handled, nothing crashes, and the normal update after it is answered.
@Suite struct HostileUpdateTests {
    /// Answers `!probe N`: the normal update sent after every hostile one.
    static let probe = (
        "probe", #"return { patterns = { "^!probe (%d+)$" }, run = function(msg, m) return "probe " .. m[1] end }"#
    )
    /// Reads the `msg` fields yagop plugins read, so hostile values meet Lua code (and the compat helpers).
    static let reader = (
        "reader",
        #"""
        return { pre_process = function(msg)
          local seen = tostring(msg.text) .. tostring(msg.from and msg.from.print_name) .. tostring(msg.to.print_name)
          seen = seen .. get_receiver(msg) .. tostring(is_chat_msg(msg)) .. tostring(msg.reply_id) .. msg.kind
          if msg.from then seen = seen .. user_print_name(msg.from) .. role_of(msg) end
          return msg
        end }
        """#
    )
    /// The repository's own plugins, as the bot ships them.
    static let shippedDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("plugins").path

    static func shippedPlugins() throws -> [(String, String)] {
        try FileManager.default.contentsOfDirectory(atPath: shippedDirectory).filter { $0.hasSuffix(".lua") }.sorted()
            .map { "\(shippedDirectory)/\($0)" }.filter { !PluginHost.isDefinitionFile(path: $0) }
            .map { path in
                let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
                return (name, try String(contentsOfFile: path, encoding: .utf8))
            }
    }

    /// What one run of hostile inputs came to.
    struct Tally {
        var refusedByDecoder = 0
        var refusedByHost = 0
        var handled = 0
        var total: Int { refusedByDecoder + refusedByHost + handled }
    }

    /// Decodes each input like the webhook does, dispatches what decodes, then checks a probe is answered.
    static func feed(
        _ inputs: some Sequence<[UInt8]>,
        to test: TestHost,
        sourceLocation: SourceLocation = #_sourceLocation
    )
        -> Tally
    {
        var tally = Tally()
        for (index, bytes) in inputs.enumerated() {
            if let update = try? JSONValue(parsing: bytes) {
                let outcome = test.send(update)
                if outcome.stopped == .malformed { tally.refusedByHost += 1 } else { tally.handled += 1 }
            } else {
                tally.refusedByDecoder += 1
            }
            // A fresh sender each time, so the shipped flood plugin sees no flood.
            test.send(Fixture.message("!probe \(index)", from: 1_000_000 + Int64(index)))
            let answer = test.sink.actions.last { $0.plugin == "probe" }?.params["text"]?.string
            guard answer == "probe \(index)" else {
                Issue.record(
                    "input \(index) left the bot unable to answer: \(answer ?? "nothing")",
                    sourceLocation: sourceLocation
                )
                return tally
            }
        }
        // Every update the host refused said so in the log.
        let refusals = test.logs.lines.filter { $0.contains("update refused") }
        #expect(refusals.count == tally.refusedByHost, sourceLocation: sourceLocation)
        return tally
    }

    @Test func thousandsOfMutatedUpdatesNeverStopTheBot() async throws {
        try await withRedisServer { server in
            let test = try TestHost(plugins: [Self.reader, Self.probe], redisURL: server.url, sudo: [Fixture.admin])
            var generator = HostileUpdateGenerator(seed: 0x407_11E)
            let tally = Self.feed((0..<3_000).map { _ in generator.next() }, to: test)
            // 3,000 hostile inputs (each followed by a probe); every kind of outcome occurs.
            #expect(tally.total == 3_000)
            #expect(tally.refusedByDecoder > 100 && tally.refusedByHost > 100 && tally.handled > 1_000, "\(tally)")
        }
    }

    @Test func theShippedPluginsSurviveMutatedUpdates() async throws {
        try await withRedisServer { server in
            let test = try TestHost(
                plugins: try Self.shippedPlugins() + [Self.probe],
                redisURL: server.url,
                sudo: [Fixture.admin]
            ) { config in config.pluginDirectory = Self.shippedDirectory }
            #expect(test.host.pluginNames.count > 10)
            var generator = HostileUpdateGenerator(seed: 0x5417)
            let tally = Self.feed((0..<400).map { _ in generator.next() }, to: test)
            // 400 hostile inputs through every shipped plugin.
            #expect(tally.total == 400)
            #expect(tally.handled > 150, "\(tally)")
        }
    }

    @Test func namedHostileInputsAreRefusedOrHandled() async throws {
        try await withRedisServer { server in
            let test = try TestHost(
                plugins: try Self.shippedPlugins() + [Self.reader, Self.probe],
                redisURL: server.url,
                sudo: [Fixture.admin]
            ) { config in config.pluginDirectory = Self.shippedDirectory }
            let inputs = HostileUpdateGenerator.namedInputs()
            let started = ContinuousClock.now
            let tally = Self.feed(inputs.map(\.bytes), to: test)
            #expect(tally.total == inputs.count)
            // Even 1 MB texts and names through every shipped plugin stay far from a stall.
            #expect(ContinuousClock.now - started < .seconds(30))
            for input in inputs where input.mustBeRefused {
                #expect((try? JSONValue(parsing: input.bytes)) == nil, "\(input.name) was accepted")
            }
            let deep = HostileUpdateGenerator.namedInputs().first { $0.name == "depth 10000" }!
            #expect(throws: JSONError.self) { try JSONValue(parsing: deep.bytes) }
            // The only plugin failures: a from.id beyond Int64 (a float) refused by the key schema or role lookup.
            let failures = test.logs.lines.filter { $0.contains("plugin error") }
            #expect(failures.allSatisfy { $0.contains("invalid key part") || $0.contains("must be integers") })
        }
    }
}
