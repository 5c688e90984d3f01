import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TelegramSimulator
import UnixSignals

/// `warden simulator`: the loopback Telegram on its own, for the demo and for scenario scripts.
struct SimulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulator",
        abstract: "Run the Telegram simulator (Bot API plus /control API) on 127.0.0.1 until interrupted.",
        discussion: "The control API and the enforced rules are described in docs/simulator.md."
    )

    @Option(name: .long, help: "The loopback port to listen on (0 for a free one).")
    var port: Int = 8081

    @Option(name: .long, help: "The bot token clients must use (the bot's id is the number before ':').")
    var token: String = "123456:TEST-TOKEN"

    @Option(name: .long, help: "The bot's username, without '@'.")
    var botUsername: String = "WardenBot"

    @Flag(name: .long, help: "Switch off Telegram's flood limits (30/s overall, 1/s per chat, 20/min per group).")
    var noRateLimits = false

    @Flag(name: .long, help: "Create a demo supergroup with an owner, members and a spammer, and print their ids.")
    var seedDemo = false

    @Flag(help: "Exit when the process that started this one exits (warden bench starts its simulator so).")
    var exitWithParent = false

    func run() async throws {
        var logger = Logger(label: "warden.simulator")
        logger.logLevel = .info
        let simulator = TelegramSimulator(
            configuration: .init(
                port: port,
                token: token,
                botUsername: botUsername,
                rateLimits: noRateLimits ? nil : .telegram,
                logger: logger
            )
        )
        try await simulator.start()
        say("Telegram simulator listening on \(simulator.baseURL)")
        say("  Bot API: \(simulator.baseURL)/bot\(token)/getMe")
        say("  control: \(simulator.baseURL)/control/state")
        if seedDemo {
            let world = try await simulator.seedDemo()
            say(
                "  demo group \(world.groupID): owner \(world.ownerID), members \(world.memberIDs), spammer \(world.spammerID)"
            )
            say("  private chat with the bot: \(world.privateChatID)")
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: simulator)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        if exitWithParent {
            // A parent killed without the chance to stop this process must not leave it listening.
            let parent = getppid()
            Task {
                while getppid() == parent { try? await Task.sleep(for: .milliseconds(500)) }
                await group.triggerGracefulShutdown()
            }
        }
        try await group.run()
    }

    /// Writes a line unbuffered, so a script reading the base URL from a pipe sees it at once.
    private func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
