import Foundation
import LuaHost
import RedisStore
import Synchronization
import Testing
import WardenJSON
import WardenTestSupport

@testable import WardenRuntime

/// A hostile plugin is loaded ahead of a well-behaved one: the well-behaved one still answers the same
/// update and the next, the failure is logged with the hostile plugin's name, and the sudo users are told
/// once (not once per failure).
@Suite struct HostilePluginTests {
    static let sudo: Int64 = 4_242
    /// Answers every `!` message: the plugin that must keep working next to a hostile one.
    static let steady = (
        "steady", #"return { patterns = { "^!" }, run = function(msg) return "steady " .. msg.text end }"#
    )

    /// Texts sent to the group (plugin replies), leaving out the notices to the sudo users.
    static func groupReplies(_ test: TestHost) -> [String] {
        test.sink.actions.filter { $0.method == "sendMessage" && $0.params["chat_id"] == .int(Fixture.group) }
            .compactMap { $0.params["text"]?.string }
    }

    static func sudoNotices(_ test: TestHost, to user: Int64 = sudo) -> [String] {
        test.sink.actions.filter { $0.method == "sendMessage" && $0.params["chat_id"] == .int(user) }
            .compactMap { $0.params["text"]?.string }
    }

    /// Runs `run` of `hostile` (on every `!` message) on "!go" then "!again" and checks what containment means.
    @discardableResult
    static func expectContained(
        _ run: String,
        kind: LuaError.Kind? = nil,
        logged: String? = nil,
        configure: (inout WardenConfig) -> Void = { _ in },
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> TestHost {
        let hostile = #"return { patterns = { "^!" }, run = function(msg) "# + run + "\nend }"
        let test = try TestHost(plugins: [("hostile", hostile), steady], sudo: [sudo], configure: configure)
        let outcomes = [test.send(Fixture.message("!go")), test.send(Fixture.message("!again"))]
        #expect(outcomes.map(\.failedPlugins) == [["hostile"], ["hostile"]], sourceLocation: sourceLocation)
        #expect(groupReplies(test) == ["steady !go", "steady !again"], sourceLocation: sourceLocation)
        let errors = test.logs.lines.filter { $0.contains("plugin error") && $0.contains("plugin.name=hostile") }
        #expect(errors.count == 2, sourceLocation: sourceLocation)
        if let kind {
            #expect(
                errors.allSatisfy { $0.contains("error.kind=\(kind.rawValue)") },
                "\(errors)",
                sourceLocation: sourceLocation
            )
        }
        if let logged {
            #expect(errors.allSatisfy { $0.contains(logged) }, "\(errors)", sourceLocation: sourceLocation)
        }
        let notices = sudoNotices(test)
        #expect(notices.count == 1, "two failures, one notice: \(notices)", sourceLocation: sourceLocation)
        #expect(notices.first?.hasPrefix("Plugin hostile failed: run: ") == true, sourceLocation: sourceLocation)
        return test
    }

    @Test func anErrorIsContained() throws {
        try Self.expectContained(#"error("boom")"#, kind: .runtime, logged: "plugins/hostile.lua:1: boom")
    }

    @Test func anErrorObjectWhoseToStringLoopsIsStoppedByTheBudget() throws {
        // Lua calls __tostring from the error handler, where the budget hook used to be switched off.
        try Self.expectContained(
            #"error(setmetatable({}, { __tostring = function() while true do end end }))"#,
            kind: .budget
        )
    }

    @Test func anInfiniteLoopIsStoppedByTheBudget() throws {
        try Self.expectContained("while true do end", kind: .budget, logged: "instruction budget exceeded")
    }

    @Test func unboundedAllocationHitsTheMemoryCap() throws {
        let test = try Self.expectContained(
            #"local t = {} while true do t[#t + 1] = ("x"):rep(1024) .. #t end"#,
            kind: .memory
        )
        #expect(test.host.luaMemoryInUse < 16 << 20)
    }

    @Test func infiniteRecursionInLuaAndThroughMetamethodsIsAnError() throws {
        try Self.expectContained(
            #"""
            local function deeper(n) return deeper(n + 1) + 1 end
            if msg.text == "!go" then deeper(1) end
            local loop = setmetatable({}, {}); getmetatable(loop).__index = function(t, k) return t[k] end
            return loop.x
            """#,
            // Lua recursion fills the memory cap before the stack limit; metamethods overflow the C stack.
            logged: "error="
        )
    }

    @Test func aLoopOfHostCallsRunsOutOfBudgetAfterFewRoundTrips() async throws {
        try await withRedisServer { server in
            let test = try TestHost(
                plugins: [
                    (
                        "hostile",
                        #"return { patterns = { "^!go$" }, run = function() while true do redis:incr("calls") end end }"#
                    ),
                    Self.steady,
                ],
                redisURL: server.url,
                sudo: [Self.sudo]
            )
            let outcome = test.send(Fixture.message("!go"))
            #expect(outcome.failedPlugins == ["hostile"])
            #expect(Self.groupReplies(test) == ["steady !go"])
            // Each host call costs `hostCallCost` instructions: 2 million buy under 8,000 round trips, not 250,000.
            let calls = try #require(Int(try RedisConnection(url: server.url).call("GET", "calls").string ?? ""))
            #expect(calls > 1000 && calls <= Int(2_000_000 / LuaState.hostCallCost))
        }
    }

    @Test func hugeReturnValuesAreRefusedAndIgnored() throws {
        let hostile = #"""
            return { patterns = { "^!" }, run = function(msg)
              if msg.text == "!string" then return ("x"):rep(50 << 20) end
              local t = {} for i = 1, 1000000 do t[i] = i end
              return t
            end }
            """#
        let test = try TestHost(plugins: [("hostile", hostile), Self.steady], sudo: [Self.sudo]) { config in
            config.luaMemoryMB = 128  // string.rep needs its buffer and the result: twice 50 MiB
            config.instructionBudget = 20_000_000
        }
        test.send(Fixture.message("!string"))
        test.send(Fixture.message("!table"))
        test.send(Fixture.message("!string"))
        #expect(Self.groupReplies(test) == ["steady !string", "steady !table", "steady !string"])
        let refusals = test.logs.lines.filter { $0.contains("action refused") && $0.contains("plugin.name=hostile") }
        #expect(refusals.count == 2)
        #expect(Self.sudoNotices(test).count == 1)
        #expect(Self.sudoNotices(test).first?.contains("sendMessage refused") == true)
    }

    @Test func aReplyTooLongForTenMessagesIsCutNotSentAsAFlood() throws {
        let long = #"""
            return { patterns = { "^!long$" }, run = function(msg)
              local lines = {}
              for i = 1, 3000 do lines[i] = "entry " .. i .. " banned for spam" end
              return table.concat(lines, "\n")
            end }
            """#
        let test = try TestHost(plugins: [("long", long)], sudo: [Self.sudo])
        test.send(Fixture.message("!long"))
        let replies = Self.groupReplies(test)
        #expect(replies.count == 10)
        #expect(replies.allSatisfy { $0.utf16.count <= 4096 })
        #expect(replies.first?.hasPrefix("entry 1 banned") == true)
        #expect(test.logs.lines.contains { $0.contains("reply cut") && $0.contains("plugin.name=long") })
    }

    @Test func aHostResultLargerThanTheMemoryCapIsRefused() throws {
        // json.encode writes each control byte as six: with the cap lifted while the host runs, 1 MiB became 6.
        try Self.expectContained(
            #"local encoded = json.encode(("\1"):rep(3 << 19)) return #encoded"#,
            logged: "does not fit under the memory cap"
        ) { config in config.luaMemoryMB = 4 }
    }

    /// Calls every function of the plugin API (found by walking its environment, so new ones are covered too)
    /// with every pair of awkward values, each call protected; `!fuzz N` covers function N, and answers
    /// how many calls it made, or `done` past the last one.
    static let apiFuzzer = #"""
        local base = {}
        for name in pairs({ assert = 1, error = 1, ipairs = 1, next = 1, pairs = 1, pcall = 1, xpcall = 1, rawequal = 1,
          rawget = 1, rawlen = 1, rawset = 1, select = 1, setmetatable = 1, getmetatable = 1, tonumber = 1,
          tostring = 1, type = 1, _VERSION = 1, string = 1, table = 1, math = 1, utf8 = 1, coroutine = 1, os = 1,
          unpack = 1, collectgarbage = 1, load = 1, _G = 1, plugins = 1 }) do base[name] = true end
        local targets = {}
        for name, value in pairs(_ENV) do
          if not base[name] and type(value) == "function" then targets[#targets + 1] = { name, value } end
          if not base[name] and type(value) == "table" then
            for field, inner in pairs(value) do
              if type(inner) == "function" then targets[#targets + 1] = { name .. "." .. field, inner } end
            end
          end
        end
        for _, command in ipairs({ "get", "set", "del", "incr", "hset", "hgetall", "sadd", "expire", "setex" }) do
          targets[#targets + 1] = { "redis:" .. command, function(...) return redis[command](redis, ...) end }
        end
        table.sort(targets, function(a, b) return a[1] < b[1] end)
        local cyclic = {} cyclic.self = cyclic
        local trap = setmetatable({}, { __index = function() error("trap") end, __len = function() return -1 end })
        local values = { false, true, 0, -1, 1.5, -0.0, 1 / 0, 0 / 0, math.mininteger, math.maxinteger, "", "x",
          "@nobody", "user#id1", "\255\254\192", ("x"):rep(5000), {}, { 1, { 2 } }, { chat = { id = "x" } }, print,
          coroutine.create(function() end), cyclic, trap }
        return { patterns = { "^!fuzz (%d+)$" }, run = function(msg, m)
          local target = targets[tonumber(m[1])]
          if not target then return "done" end
          local calls = 0
          for i = 0, #values do -- values[0] is nil: every function also gets nil first
            for j = 1, #values do
              pcall(target[2], values[i], values[j], values[(i + j) % #values + 1])
              calls = calls + 1
            end
          end
          return target[1] .. " " .. calls
        end }
        """#

    @Test func wrongTypesToEveryHostFunctionAreLuaErrorsNotCrashes() async throws {
        try await withRedisServer { server in
            let test = try TestHost(plugins: [("fuzzer", Self.apiFuzzer), Self.steady], redisURL: server.url)
            var answers: [String] = []
            for index in 1... {
                let update = Fixture.message("!fuzz \(index)")
                test.send(update)
                // The answer is the reply to this very message (fuzzed calls may send replies of their own).
                let reply = test.sink.actions.last {
                    $0.plugin == "fuzzer" && $0.params["chat_id"] == .int(Fixture.group)
                        && $0.params["reply_parameters"]?["message_id"] == update["message"]?["message_id"]
                }
                if reply?.params["text"] == "done" { break }
                answers.append(reply?.params["text"]?.string ?? "no answer to !fuzz \(index)")
                #expect(Self.groupReplies(test).last == "steady !fuzz \(index)")
            }
            let calls = answers.compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }.reduce(0, +)
            // About 60 functions × 23 × 22 argument combinations: some 30,000 hostile calls.
            #expect(answers.count >= 50, "\(answers)")
            #expect(calls >= 25_000)
            #expect(answers.contains { $0.hasPrefix("send_msg ") } && answers.contains { $0.hasPrefix("bot.api ") })
            test.send(Fixture.message("!after"))
            #expect(Self.groupReplies(test).last == "steady !after")
        }
    }

    static let escapes = [
        "os.execute('id')", "io.open('/etc/passwd')", "package.loadlib('libc.so.6', 'system')", "debug.getinfo(1)",
        "assert(load(string.dump(print)))", #"assert(load("\27Lua\84\0", "x", "b"))"#,
        #"assert(load(function() return "\27Lua" end))"#, "getmetatable('').__index.upper = nil",
        "rawget(_G, 'io').open('/etc/passwd')", "_ENV.os.getenv('HOME'):len()", "return require('os').execute",
        "('x'):rep(1 << 40)", "('x'):rep(1 << 20, ('y'):rep(1 << 10))", "collectgarbage('stop')",
        "collectgarbage('incremental', 1000)", "setmetatable({}, { __gc = function() while true do end end })",
        "string.format('%099999d', 1)", "table.unpack({}, 1, 1e8)",
    ]

    @Test(arguments: escapes)
    func aSandboxEscapeIsRefused(attempt: String) throws {
        try Self.expectContained(attempt)
    }

    @Test func sudoNoticesAreLimitedToOnePerPluginPerInterval() throws {
        final class Clock: Sendable {
            let seconds = Mutex<Double>(1_000_000)
        }
        let clock = Clock()
        let failing = #"return { patterns = { "^!" }, run = function() error("always") end }"#
        let test = try TestHost(plugins: [("one", failing), ("two", failing)], sudo: [Self.sudo, 7]) { _ in
        } adjust: { options in
            options.clock = { clock.seconds.withLock { $0 } }
            options.pluginErrorNoticeInterval = 600
        }
        for _ in 0..<5 { test.send(Fixture.message("!x")) }
        #expect(Self.sudoNotices(test).count == 2)
        #expect(Self.sudoNotices(test, to: 7) == Self.sudoNotices(test))
        clock.seconds.withLock { $0 += 599 }
        test.send(Fixture.message("!x"))
        #expect(Self.sudoNotices(test).count == 2)
        clock.seconds.withLock { $0 += 2 }
        test.send(Fixture.message("!x"))
        let notices = Self.sudoNotices(test)
        #expect(notices.count == 4)
        #expect(notices.last?.contains("(5 more problem(s) of two were only logged since the last notice.)") == true)
        #expect(test.logs.lines.filter { $0.contains("plugin error") }.count == 14)
    }
}
