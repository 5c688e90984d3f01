import Testing
import WardenJSON

@testable import WardenRuntime

@Suite struct DispatchTests {
    @Test func matchesHoldCapturesOrTheWholeMatch() throws {
        let test = try TestHost(plugins: [
            (
                "greet",
                #"return { patterns = { "^!greet (%a+) (%a+)$", "^!hi$" }, run = function(msg, matches) return table.concat(matches, "+") end }"#
            )
        ])
        test.send(Fixture.message("!greet Ann Lee"))
        test.send(Fixture.message("!hi"))
        #expect(test.replies == ["Ann+Lee", "!hi"])
    }

    @Test func onlyTheFirstMatchingPatternOfEachPluginRuns() throws {
        let test = try TestHost(plugins: [
            ("first", #"return { patterns = { "^!a", "^!ab" }, run = function(msg, m) return "first:" .. m[1] end }"#),
            ("second", #"return { patterns = { "^!ab" }, run = function() return "second" end }"#),
        ])
        let outcome = test.send(Fixture.message("!abc"))
        #expect(test.replies == ["first:!a", "second"])
        #expect(outcome.handledBy == ["first", "second"])
    }

    @Test func pluginsRunInConfigOrderNotTableOrder() throws {
        let names = ["zeta", "alpha", "mid", "beta", "omega"]
        let test = try TestHost(
            plugins: names.map { name in
                (name, "return { patterns = { '^go$' }, run = function() return '\(name)' end }")
            }
        )
        test.send(Fixture.message("go"))
        #expect(test.replies == names)
    }

    @Test func preProcessReturningNilDropsTheMessageForLaterPlugins() throws {
        let test = try TestHost(plugins: [
            (
                "counter",
                #"""
                local seen = 0
                return { pre_process = function(msg) seen = seen + 1; msg.seen = seen; return msg end }
                """#
            ),
            (
                "filter",
                #"return { pre_process = function(msg) if msg.text == "spam" then return nil end return msg end }"#
            ),
            (
                "echo",
                #"return { patterns = { "^(.*)$" }, run = function(msg, m) return m[1] .. " #" .. msg.seen end }"#
            ),
        ])
        let dropped = test.send(Fixture.message("spam"))
        test.send(Fixture.message("hello"))
        #expect(dropped.stopped == .droppedByPreProcess)
        #expect(test.replies == ["hello #2"])
    }

    @Test func anErrorInOnePluginSkipsThatPluginOnly() throws {
        let test = try TestHost(plugins: [
            ("broken_pre", #"return { pre_process = function(msg) error("pre boom") end }"#),
            ("broken_run", #"return { patterns = { "^!x$" }, run = function() local t = nil; return t.field end }"#),
            ("fine", #"return { patterns = { "^!x$" }, run = function() return "still here" end }"#),
        ])
        let outcome = test.send(Fixture.message("!x"))
        #expect(test.replies == ["still here"])
        #expect(outcome.failedPlugins == ["broken_pre", "broken_run"])
        #expect(test.host.stats.pluginErrors["broken_run"] == 1)
        let logged = test.logs.lines.filter { $0.contains("plugin error") }
        #expect(
            logged.contains {
                $0.contains("plugin.name=broken_run") && $0.contains("plugins/broken_run.lua:1:")
                    && $0.contains("traceback")
            }
        )
    }

    @Test func runawayPluginIsStoppedAndTheNextUpdateRunsNormally() throws {
        let test = try TestHost(plugins: [
            ("loop", #"return { patterns = { "^!loop$" }, run = function() while true do end end }"#),
            (
                "bomb",
                #"return { patterns = { "^!bomb$" }, run = function() local t = {} for i = 1, 1e9 do t[i] = ("x"):rep(64) .. i end end }"#
            ),
            ("ok", #"return { patterns = { "^!ok$" }, run = function() return "ok" end }"#),
        ])
        let loop = test.send(Fixture.message("!loop"))
        let bomb = test.send(Fixture.message("!bomb"))
        test.send(Fixture.message("!ok"))
        #expect(loop.failedPlugins == ["loop"])
        #expect(bomb.failedPlugins == ["bomb"])
        #expect(test.replies == ["ok"])
        #expect(test.logs.lines.contains { $0.contains("error.kind=budget") })
        #expect(test.logs.lines.contains { $0.contains("error.kind=memory") })
    }

    @Test func commandForAnotherBotIsNotRunButOursIs() throws {
        let test = try TestHost(plugins: [
            (
                "ban",
                #"return { patterns = { "^[!/#]ban (%d+)$" }, run = function(msg, m) return msg.command .. ":" .. m[1] .. ":" .. msg.args end }"#
            )
        ])
        let other = test.send(Fixture.message("/ban@OtherBot 42"))
        test.send(Fixture.message("/ban@WardenBot 42"))
        test.send(Fixture.message("#ban 7"))
        #expect(other.stopped == .otherBot)
        #expect(test.replies == ["ban:42:42", "ban:7:7"])
    }

    @Test func messagesFromTheBotItselfAreIgnored() throws {
        let test = try TestHost(plugins: [
            ("echo", #"return { patterns = { "^(.*)$" }, run = function(msg, m) return m[1] end }"#)
        ])
        let outcome = test.send(Fixture.message("loop?", from: Fixture.botID))
        #expect(outcome.stopped == .fromBot)
        #expect(test.replies.isEmpty)
    }

    @Test func oldMessagesGoThroughPreProcessButRunNoCommands() throws {
        let test = try TestHost(plugins: [
            (
                "mark",
                #"return { pre_process = function(msg) if msg.old then log.info("old seen") end return msg end }"#
            ),
            ("echo", #"return { patterns = { "^(.*)$" }, run = function(msg, m) return m[1] end }"#),
        ])
        let old = test.send(Fixture.message("stale", date: Int64(test.host.options.startedAt) - 3600))
        #expect(old.stopped == .old)
        #expect(test.replies.isEmpty)
        #expect(test.logs.lines.contains { $0.contains("old seen") })
    }

    @Test func otherUpdateKindsReachTheirOnHandlers() throws {
        let test = try TestHost(plugins: [
            (
                "buttons",
                #"""
                return { on = {
                  callback_query = function(query) bot.answer_callback(query.id, "pressed " .. query.data) end,
                  edited_message = function(msg) return "edited: " .. msg.text end,
                } }
                """#
            )
        ])
        test.send(
            Fixture.update([
                "callback_query": [
                    "id": "q1", "data": "warn:42", "from": Fixture.user(Fixture.member), "chat_instance": "x",
                ]
            ])
        )
        test.send(
            Fixture.update([
                "edited_message": [
                    "message_id": 5, "date": 1, "chat": Fixture.chat(), "from": Fixture.user(1), "text": "new",
                ]
            ])
        )
        let answer = try #require(test.sink.actions.first)
        #expect(answer.method == "answerCallbackQuery")
        #expect(answer.params["text"] == "pressed warn:42")
        #expect(test.replies == ["edited: new"])
    }

    @Test func unknownUpdateKindsAndFieldsDoNotCrash() throws {
        let test = try TestHost(plugins: [
            ("echo", #"return { patterns = { "^(.*)$" }, run = function(msg, m) return m[1] end }"#)
        ])
        let unknown = test.send(Fixture.update(["future_update_kind": ["anything": [1, 2, 3]]]))
        let malformed = test.send(["message": "not an object"])
        let noChat = test.send(Fixture.update(["message": ["text": "hi"]]))
        #expect(unknown.stopped == nil)
        #expect(malformed.stopped == .malformed)
        #expect(noChat.stopped == .malformed)
        test.send(Fixture.message("still works", extra: ["brand_new_field": ["x": 1]]))
        #expect(test.replies == ["still works"])
    }

    @Test func theWorkersFiguresNameEachPhaseAndPluginOnceAcrossAReload() throws {
        let sources = [
            ("tagger", "return { pre_process = function(msg) msg.tags = { 'a', 'b', 'c' }; return msg end }"),
            ("echo", #"return { patterns = { "^!echo (.*)$" }, run = function(msg, m) return m[1] end }"#),
        ]
        let test = try TestHost(plugins: sources)
        test.send(Fixture.message("!echo one"))
        let first = test.host.stats
        let slots = test.host.phases.keys.count
        #expect(test.host.install(sources: sources.map { (name: $0.0, source: $0.1) }).isEmpty)
        test.send(Fixture.message("!echo two"))
        test.send(Fixture.message("plain"))
        let stats = test.host.stats
        #expect(
            Set(stats.time.keys).isSuperset(of: [
                "total", "ledger", "message table", "patterns and run", "pre_process tagger", "run echo",
            ])
        )
        // The reloaded plugins add to the figures of the plugins they replace, in the same slots.
        #expect(test.host.phases.keys.count == slots)
        #expect(stats.time.keys.filter { $0.hasSuffix(" tagger") } == ["pre_process tagger"])
        #expect(stats.time["pre_process tagger"]! > first.time["pre_process tagger"]!)
        #expect(stats.time["run echo"]! > first.time["run echo"]!)
        // The tagger's table of three is garbage the figures see: each later message adds at least a table's
        // 56 bytes (the first one's figure can hold one-off growth, such as Lua's string table's).
        let later = stats.luaAllocated["pre_process tagger"]! - first.luaAllocated["pre_process tagger"]!
        #expect(later >= 2 * 56)
        #expect(first.luaAllocated["pre_process tagger"]! > 0)
    }
}
