import Foundation
public import Logging
import TelegramSimulator
import WardenJSON
public import WardenRuntime

/// `warden demo`: a private Telegram (the simulator) and Redis, the bot with the shipped plugins, and a
/// scenario played against them, told as a live transcript and ended with a summary (docs/demo.md).
public struct DemoRunner: Sendable {
    public struct Options: Sendable {
        public var pluginDirectory: String
        /// Settings the bot starts from (token, Redis and plugins come from the demo).
        public var config: WardenConfig
        /// Seconds to wait, after the last step, for the last spam to go.
        public var cleanupTimeout: Double = 60

        public init(pluginDirectory: String, config: WardenConfig = WardenConfig()) {
            self.pluginDirectory = pluginDirectory
            self.config = config
        }
    }

    let options: Options
    let logger: Logger

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    public func run(_ scenario: DemoScenario, print: @escaping @Sendable (String) -> Void) async throws -> DemoSummary {
        let telegram = try await PrivateTelegram.start(logger: logger)
        // Every event line gets the seconds since the start, so the transcript reads as a timeline.
        let started = ContinuousClock.now
        let stamped: @Sendable (String) -> Void = { line in
            guard line.hasPrefix("  ") else { return print(line) }
            print(String(format: "%6.1f s", (ContinuousClock.now - started).seconds) + line)
        }
        do {
            let summary = try await play(scenario, telegram, print: stamped)
            await telegram.stop()
            return summary
        } catch {
            await telegram.stop()
            throw error
        }
    }

    private func play(
        _ scenario: DemoScenario,
        _ telegram: PrivateTelegram,
        print: @escaping @Sendable (String) -> Void
    ) async throws -> DemoSummary {
        let world = try await telegram.reset(to: scenario.world)
        let config = try telegram.botConfig(
            base: options.config,
            pluginDirectory: options.pluginDirectory,
            definition: scenario.world,
            world: world
        )
        let runtime = try await BotRuntime(
            config: config,
            ingress: .polling(dropPendingUpdates: false),
            logger: logger,
            signals: false
        )
        let running = Task { try await runtime.run() }
        let narrator = Narrator(world: world, definition: scenario.world)
        print("▶ \(scenario.title)")
        let transcript = BotTranscript(control: telegram.control, narrator: narrator, print: print)
        let watching = Task { await transcript.follow() }

        var summary = DemoSummary()
        // The demo counts what reached Telegram by the end; it does not wait for queued notices.
        var player = SpecPlayer(world: world, telegram: telegram, timeout: .seconds(10), outboxIdle: {})
        var spam: [String] = []
        var spamSteps: [String: JSONValue] = [:]
        var firstSpam: ContinuousClock.Instant?
        var lastSpam: ContinuousClock.Instant?
        for (index, original) in scenario.steps.enumerated() {
            var step = original
            if let line = step["say"]?.string {
                print("\n— \(line)")
                continue
            }
            if step["spam"]?.bool == true, case .object(var fields) = step {
                let label = fields["as"]?.string ?? "spam-\(index)"
                fields["as"] = .string(label)
                fields["spam"] = nil
                step = .object(fields)
                spam.append(label)
                spamSteps[label] = step
                if firstSpam == nil { firstSpam = .now }
                if spam.count % 50 == 0 { print("  … \(spam.count) spam messages so far") }
            }
            if step["quiet"]?.bool == true, case .object(var fields) = step {
                fields["quiet"] = nil
                step = .object(fields)
            } else if let line = narrator.event(step, world: player.world) {
                print("  \(line)")
            }
            let isSpam = step["as"]?.string != nil && step["as"]?.string == spam.last
            do {
                try await player.play(step)
                if isSpam { lastSpam = .now }
            } catch  where isSpam {
                // Telegram refused the post: the bot had already restricted or banned the sender.
                spam.removeLast()
                summary.spamBlocked += 1
            } catch {
                summary.failedSteps += 1
                let why = "\(error)".replacingOccurrences(of: "\n", with: "\n      ")
                print("  ✘ step \(index + 1) \(SpecPlayer.describe(step)): \(why)")
            }
        }
        // The raid is over on the users' side; the figures wait until the bot is done with it.
        let gone = try await waitUntilGone(spam, player.world, telegram)
        if let firstSpam, let lastSpam {
            summary.raidSeconds = (lastSpam - firstSpam).seconds
            if gone.count == spam.count { summary.cleanSeconds = (ContinuousClock.now - firstSpam).seconds }
        }
        if gone.count < spam.count {
            print("\n  Spam still visible after \(Int(options.cleanupTimeout)) s:")
            for label in spam where !gone.contains(label) {
                print("  • \(spamSteps[label].flatMap { narrator.event($0, world: player.world) } ?? label)")
            }
        }
        try? await player.settle()
        watching.cancel()
        let calls = await watching.value
        await runtime.stop()
        try await running.value

        let state = try await telegram.control.state()
        summary.updatesSeen = Int(state["updates_delivered"]?.int ?? 0)
        summary.tooManyRequests = Int(state["too_many_requests"]?.int ?? 0)
        summary.spamSent = spam.count
        summary.spamDeleted = gone.count
        summary.botAPICalls = calls.count
        summary.usersRestricted =
            Set(
                calls.filter {
                    Self.accepted($0, "restrictChatMember")
                        && $0["params"]?["permissions"]?["can_send_messages"] == false
                }
                .compactMap { $0["params"]?["user_id"]?.int }
            ).count
        summary.usersBanned =
            Set(calls.filter { Self.accepted($0, "banChatMember") }.compactMap { $0["params"]?["user_id"]?.int }).count
        return summary
    }

    static func accepted(_ call: JSONValue, _ method: String) -> Bool {
        call["method"]?.string == method && call["status"]?.int == 200
    }

    /// Polls the chats until every spam message is deleted or the cleanup time-out passes; returns those gone.
    private func waitUntilGone(
        _ labels: [String],
        _ world: SpecWorld,
        _ telegram: PrivateTelegram
    ) async throws -> Set<String> {
        let deadline = ContinuousClock.now + .milliseconds(Int(options.cleanupTimeout * 1000))
        var gone: Set<String> = []
        while true {
            var visible: [Int64: Set<Int64>] = [:]
            for label in labels where !gone.contains(label) {
                let chat = try world.chat(ofMessage: label)
                if visible[chat] == nil {
                    let messages = try await telegram.control.request("GET", "chats/\(chat)/messages").array ?? []
                    visible[chat] = Set(messages.compactMap { $0["message_id"]?.int })
                }
                if visible[chat]?.contains(try world.id(label)) == false { gone.insert(label) }
            }
            if gone.count == labels.count || ContinuousClock.now >= deadline { return gone }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
