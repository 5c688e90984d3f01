import ArgumentParser

@main
struct Warden: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warden",
        abstract: "A Telegram antispam and group-management bot runtime with Lua plugins.",
        subcommands: [
            DemoCommand.self, RunCommand.self, StatusCommand.self, PluginCommand.self, SimulatorCommand.self,
            BenchCommand.self, FaultsCommand.self, SoakCommand.self,
        ]
    )
}
