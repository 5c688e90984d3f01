import Foundation
import Logging
import Synchronization
import Testing
import WardenDevKit

/// `warden plugin test` itself: a spec that should pass passes, and one that should fail fails with
/// the first difference, against the real simulator and redis-server.
@Suite(.serialized) struct SpecRunnerTests {
    static let plugin = #"""
        return {
          patterns = { "^[!/#]greet (.+)$", "^[!/#]button$" },
          run = function(msg, matches)
            if msg.command == "button" then
              bot.send(msg.chat.id, "press", { reply_markup = { inline_keyboard = { { { text = "ok", callback_data = "ok" } } } } })
              return nil
            end
            redis:hset(keys.chat(msg.chat.id, "greeted"), tostring(msg.from.id), matches[1])
            return "Hello, " .. matches[1]
          end,
          on = { callback_query = function(query) bot.answer_callback(query.id, "pressed by " .. query.from.first_name) end },
        }
        """#

    static let spec = #"""
        return {
          plugins = { "greeter" },
          users = { ann = { first_name = "Ann" } },
          chats = { group = { type = "supergroup", creator = "ann" } },
          cases = {
            {
              name = "greets and remembers",
              steps = {
                { from = "ann", chat = "group", text = "/greet world", as = "m" },
                { expect = "sendMessage", params = { chat_id = "$group", reply_parameters = { message_id = "$m" } }, text = "Hello, world" },
                { expect_redis = { "HGET", "warden:{chat:$group}:greeted", "$ann" }, equals = "world" },
                { from = "ann", chat = "group", text = "/button" },
                { expect = "sendMessage", text = "press", as = "kb" },
                { press = "ok", from = "ann", message = "kb", as = "p" },
                { expect_answer = "p", text = "pressed by Ann" },
              },
            },
            {
              name = "a wrong expectation fails",
              timeout = 1,
              steps = {
                { from = "ann", chat = "group", text = "/greet you" },
                { expect = "sendMessage", text = "Goodbye" },
              },
            },
            {
              name = "a negative expectation sees the call",
              steps = {
                { from = "ann", chat = "group", text = "/greet again" },
                { expect_no = "sendMessage" },
              },
            },
          },
        }
        """#

    @Test func passingAndFailingCasesAreReportedWithTheFirstDifference() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("warden-spec-\(UUID())")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("spec"),
            withIntermediateDirectories: true
        )
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.plugin.write(to: directory.appendingPathComponent("greeter.lua"), atomically: true, encoding: .utf8)
        let specPath = directory.appendingPathComponent("spec/greeter_spec.lua").path
        try Self.spec.write(toFile: specPath, atomically: true, encoding: .utf8)

        let spec = try PluginSpec.load(path: specPath)
        let runner = SpecRunner(options: .init(pluginDirectory: directory.path), logger: Logger(label: "spec"))
        let lines = Mutex<[String]>([])
        let summary = try await runner.run([spec]) { line in lines.withLock { $0.append(line) } }
        let output = lines.withLock { $0.joined(separator: "\n") }
        #expect(summary.passed == 1, "\(output)")
        #expect(summary.failed == 2, "\(output)")
        #expect(output.contains("✔ greets and remembers"), "\(output)")
        #expect(output.contains("✘ a wrong expectation fails"), "\(output)")
        #expect(output.contains(#"text does not contain "Goodbye""#), "\(output)")
        #expect(output.contains("a matching call was made"), "\(output)")
    }

    @Test func aMalformedSpecIsRefusedWithItsPath() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID())_spec.lua").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "return { cases = {} }".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: SpecError.self) { try PluginSpec.load(path: path) }
        try "return {".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try PluginSpec.load(path: path)
            Issue.record("a syntax error was accepted")
        } catch {
            #expect("\(error)".contains(path))
        }
    }

    @Test func aNewPluginFromTheTemplatePassesItsOwnSpec() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("warden-new-\(UUID())")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("spec"),
            withIntermediateDirectories: true
        )
        defer { try? FileManager.default.removeItem(at: directory) }
        try PluginTemplate.plugin(name: "greeter").write(
            to: directory.appendingPathComponent("greeter.lua"),
            atomically: true,
            encoding: .utf8
        )
        let specPath = directory.appendingPathComponent("spec/greeter_spec.lua").path
        try PluginTemplate.spec(name: "greeter").write(toFile: specPath, atomically: true, encoding: .utf8)
        let runner = SpecRunner(options: .init(pluginDirectory: directory.path), logger: Logger(label: "spec"))
        let summary = try await runner.run([try PluginSpec.load(path: specPath)]) { _ in }
        #expect(summary.passed == 2 && summary.failed == 0)
    }
}
