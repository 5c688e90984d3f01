import Testing
import WardenJSON

@testable import WardenRuntime

/// Each escape is refused inside a running plugin, which stays loaded, and the bot keeps going.
@Suite struct SandboxEscapeTests {
    static let attempts = [
        "io.open('/etc/passwd')", "os.execute('id')", "os.exit(1)", "os.remove('/tmp/x')", "os.getenv('WARDEN_TOKEN')",
        "package.loadlib('libc.so.6', 'system')", "debug.getinfo(1)", "dofile('/etc/passwd')",
        "loadfile('/etc/passwd')",
        "assert(load(string.dump(function() end)))", "assert(load('\\27Lua', 'x', 'b'))",
        "getmetatable('').__index.rep = nil", "collectgarbage('stop')", "require('os')", "require('../x')",
        "setmetatable(_G, nil); return _G.io.open",
    ]

    @Test func everyEscapeFailsAndThePluginStaysLoaded() throws {
        let test = try TestHost(plugins: [
            (
                "escape",
                #"""
                return { patterns = { "^!try (%d+) (.+)$", "^!alive$" }, run = function(msg, m)
                  if m[1] == "!alive" then return "alive" end
                  local f = assert(load(m[2]))
                  local ok, result = pcall(f)
                  if ok and result ~= nil then return "ESCAPED " .. m[1] .. " " .. tostring(result) end
                  if ok then return "ESCAPED? " .. m[1] end
                  return "refused " .. m[1]
                end }
                """#
            )
        ])
        for (index, attempt) in Self.attempts.enumerated() {
            test.send(Fixture.message("!try \(index) \(attempt)"))
        }
        test.send(Fixture.message("!alive"))
        let replies = test.replies
        #expect(replies.count == Self.attempts.count + 1)
        #expect(replies.filter { $0.hasPrefix("ESCAPED") }.isEmpty, "\(replies)")
        #expect(replies.last == "alive")
    }

    @Test func stringMethodsChangedByOnePluginDoNotReachAnother() throws {
        let test = try TestHost(plugins: [
            (
                "vandal",
                #"""
                string.upper = function() return "pwned" end
                trim = nil
                return { patterns = { "^!v$" }, run = function() return ("a"):upper() end }
                """#
            ),
            (
                "victim",
                #"return { patterns = { "^!v$" }, run = function() return string.upper("b") .. (" c "):trim() end }"#
            ),
        ])
        test.send(Fixture.message("!v"))
        #expect(test.replies == ["A", "Bc"])
    }
}
