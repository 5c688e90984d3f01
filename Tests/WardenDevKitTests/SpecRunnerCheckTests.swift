import Foundation
import Logging
import Synchronization
import Testing
import WardenDevKit

/// What the spec runner checks beyond expectations: a plugin that raised fails its case, a Redis snapshot
/// sees keys a step should not have touched, messages sent as a chat carry Telegram's placeholder sender,
/// `skip` and shared helpers (`require`).
@Suite(.serialized) struct SpecRunnerCheckTests {
    static let plugin = #"""
        return {
          patterns = { "^[!/#](whoami)$", "^[!/#](boom)$", "^[!/#](leak)$" },
          run = function(msg, matches)
            if matches[1] == "boom" then
              bot.reply(msg, "about to fail")
              error("boom")
            elseif matches[1] == "leak" then
              redis:set(keys.global("leaked"), "1")
              return "done"
            end
            return role_of(msg) .. " " .. msg.from.id .. " " .. tostring(msg.from.is_bot)
          end,
        }
        """#

    static let helper = #"""
        return { whoami = function(sender) return { sender_chat = sender, chat = "group", text = "/whoami" } end }
        """#

    static let spec = #"""
        local helper = require("checks")
        return {
          plugins = { "checker" },
          users = { ann = { first_name = "Ann" } },
          chats = { group = { type = "supergroup", creator = "ann" }, news = { type = "channel", creator = "ann" } },
          cases = {
            {
              name = "anonymous admins and channels have Telegram's placeholder sender",
              steps = {
                helper.whoami("group"),
                { expect = "sendMessage", text = "admin 1087968824 true" },
                helper.whoami("news"),
                { expect = "sendMessage", text = "member 136817688 true" },
              },
            },
            {
              name = "a plugin error fails the case though every expectation held",
              steps = {
                { from = "ann", chat = "group", text = "/boom" },
                { expect = "sendMessage", text = "about to fail" },
              },
            },
            {
              name = "a snapshot sees a key written outside the chat",
              steps = {
                { redis_snapshot = "before", match = "warden:*", except = { "warden:{chat:$group}:", "warden:bot:",
                  "warden:names", "warden:usernames", "warden:chats" } },
                { from = "ann", chat = "group", text = "/leak" },
                { expect = "sendMessage", text = "done" },
                { expect_redis_unchanged = "before" },
              },
            },
            { name = "a skipped case is not played", skip = "known bug", steps = { { expect = "nothing" } } },
          },
        }
        """#

    @Test func pluginErrorsSnapshotsPlaceholderSendersSkipAndHelpers() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("warden-checks-\(UUID())")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("spec/lib"),
            withIntermediateDirectories: true
        )
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.plugin.write(to: directory.appendingPathComponent("checker.lua"), atomically: true, encoding: .utf8)
        try Self.helper.write(
            to: directory.appendingPathComponent("spec/lib/checks.lua"),
            atomically: true,
            encoding: .utf8
        )
        let specPath = directory.appendingPathComponent("spec/checker_spec.lua").path
        try Self.spec.write(toFile: specPath, atomically: true, encoding: .utf8)

        let runner = SpecRunner(options: .init(pluginDirectory: directory.path), logger: Logger(label: "spec"))
        let lines = Mutex<[String]>([])
        let summary = try await runner.run([try PluginSpec.load(path: specPath)]) { line in
            lines.withLock { $0.append(line) }
        }
        let output = lines.withLock { $0.joined(separator: "\n") }
        #expect(summary.passed == 1 && summary.failed == 2 && summary.skipped == 1, "\(output)")
        #expect(output.contains("✔ anonymous admins and channels"), "\(output)")
        #expect(output.contains("a plugin raised an error ("), "\(output)")
        #expect(output.contains("checker in run:"), "\(output)")
        #expect(output.contains("boom"), "\(output)")
        #expect(output.contains("+ warden:leaked (created)"), "\(output)")
        #expect(output.contains("– a skipped case is not played (skipped: known bug)"), "\(output)")
    }
}
