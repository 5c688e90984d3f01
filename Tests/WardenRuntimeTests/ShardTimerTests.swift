import Foundation
import LuaHost
import Synchronization
import Testing
import WardenJSON

@testable import WardenRuntime

/// `cron` per shard, `shard.owns`, and `after(seconds, fn)` timers.
@Suite struct ShardTimerTests {
    static let chats: [Int64] = [-1_001_000_000_001, -1_001_000_000_002, -1_001_000_000_003, -1_001_000_000_004, 42]

    /// A plugin whose cron says hello once per process, and one whose per-shard cron greets the chats it owns.
    static let cronPlugins = [
        (
            "once",
            #"return { cron = function() bot.send(1, "once from " .. shard.index) end, cron_interval = 1 }"#
        ),
        (
            "each",
            """
            return {
              cron_per_shard = true,
              cron_interval = 1,
              cron = function()
                for _, chat in ipairs({ \(chats.map(String.init).joined(separator: ", ")) }) do
                  if shard.owns(chat) then bot.send(chat, "each " .. shard.index .. "/" .. shard.count) end
                end
              end,
            }
            """
        ),
    ]

    @Test func aPerShardCronRunsOnEveryWorkerForItsOwnChatsAndAnotherOnlyOnTheFirst() throws {
        var sent: [(chat: Int64, text: String)] = []
        for index in 0..<2 {
            let test = try TestHost(plugins: Self.cronPlugins, adjust: { $0.shard = Shard(index: index, count: 2) })
            test.host.runCron(now: 1_000)
            test.host.runCron(now: 1_000.5)  // within the interval: nothing more
            sent += test.sink.actions.map { ($0.params["chat_id"]?.int ?? 0, $0.params["text"]?.string ?? "") }
        }
        #expect(sent.filter { $0.text.hasPrefix("once") }.map(\.text) == ["once from 0"])
        let greeted = sent.filter { $0.text.hasPrefix("each") }
        #expect(greeted.map(\.chat).sorted() == Self.chats.sorted())
        for (chat, text) in greeted {
            // The worker that greets a chat is the one the router sends that chat's updates to.
            let owner = UpdateRouterTestsHelper.shard(of: chat, workers: 2)
            #expect(text == "each \(owner)/2")
        }
    }

    @Test func aTimerRunsOnceDueInTheChatItWasSetIn() throws {
        let clock = Mutex<Double>(1_000)
        let plugin = """
            return {
              patterns = { "^!later (%S+)$" },
              run = function(msg, m)
                after(tonumber(m[1]), function() delete_msg(msg.message_id) end)
                postpone(function(extra) bot.send(msg.chat.id, extra) end, "postponed", 2)
                return "set"
              end,
            }
            """
        let test = try TestHost(plugins: [("later", plugin)], adjust: { $0.clock = { clock.withLock { $0 } } })
        test.send(Fixture.message("!later 1.5"))
        #expect(test.host.nextTimerDue == 1_001.5)
        test.host.runTimers(now: 1_001)
        #expect(test.sink.actions.map(\.method) == ["sendMessage"])
        test.host.runTimers(now: 1_001.5)
        let deletion = try #require(test.sink.actions.last)
        #expect(deletion.method == "deleteMessage")
        #expect(deletion.params["chat_id"]?.int == Fixture.group)
        test.host.runTimers(now: 1_010)
        #expect(test.replies == ["set", "postponed"])
        test.host.runTimers(now: 1_020)
        #expect(test.sink.actions.count == 3)
        #expect(test.host.nextTimerDue == nil)
    }

    @Test func badTimersAreRefusedAndAFailingOneDoesNotStopTheNext() throws {
        let plugin = """
            return {
              patterns = { "^!t$" },
              run = function()
                local refused = {}
                for _, args in ipairs({ { -1 }, { 86401 }, { 0 / 0 }, { "soon" }, { 1, "not a function" } }) do
                  local ok, err = pcall(after, args[1], args[2] or function() end)
                  refused[#refused + 1] = ok and "accepted" or err:match("after.*")
                end
                after(0, function() error("boom") end)
                after(0, function() bot.send(1, "still runs") end)
                return table.concat(refused, "\\n")
              end,
            }
            """
        let test = try TestHost(plugins: [("t", plugin)])
        test.send(Fixture.message("!t"))
        let refusals = try #require(test.replies.first).split(separator: "\n")
        #expect(refusals.count == 5)
        #expect(refusals.allSatisfy { $0.hasPrefix("after") })
        test.host.runTimers(now: Date().timeIntervalSince1970 + 1)
        #expect(test.replies.last == "still runs")
        #expect(test.host.stats.pluginErrors["t"] == 1)
    }

    @Test func timersKeepTheirOrderAndStopAtTheLimit() throws {
        var timers = PluginTimers()
        let test = try TestHost(plugins: [])
        let callback = test.host.lua.newTableRef()
        for (index, delay) in [3.0, 1, 2, 1].enumerated() {
            #expect(timers.add(after: delay, now: 0, plugin: "p\(index)", chatID: nil, callback: callback) == nil)
        }
        #expect(timers.takeDue(now: 2).map(\.plugin) == ["p1", "p3", "p2"])
        #expect(timers.nextDue == 3)
        while timers.pending.count < PluginTimers.limit {
            _ = timers.add(after: 5, now: 0, plugin: "many", chatID: nil, callback: callback)
        }
        #expect(timers.add(after: 5, now: 0, plugin: "many", chatID: nil, callback: callback) != nil)
    }

    @Test func shardOwnsAgreesWithTheRouterAndTakesIdsAsText() throws {
        let plugin = """
            return { patterns = { "^!owns (%S+)$" }, run = function(msg, m) return tostring(shard.owns(m[1])) end }
            """
        for index in 0..<3 {
            let test = try TestHost(plugins: [("o", plugin)], adjust: { $0.shard = Shard(index: index, count: 3) })
            for chat in Self.chats {
                test.send(Fixture.message("!owns \(chat)"))
                #expect(test.replies.last == String(UpdateRouterTestsHelper.shard(of: chat, workers: 3) == index))
            }
        }
    }
}

/// The router's own answer, from an update, for comparison with `shard.owns`.
enum UpdateRouterTestsHelper {
    static func shard(of chat: Int64, workers: Int) -> Int {
        let update: JSONValue = ["update_id": 1, "message": ["message_id": 1, "chat": ["id": .int(chat)], "date": 0]]
        return Shard.index(of: UpdateRouter.shardKey(of: update), count: workers)
    }
}
