public import WardenJSON

/// A demo scenario (docs/demo.md): a world like a plugin spec's, and one timeline of steps played
/// in it, with narration (`say`) and the spam the summary accounts for (`spam = true`).
public struct DemoScenario: Sendable {
    public let path: String
    public let title: String
    public let world: WorldDefinition
    public let steps: [JSONValue]

    /// Runs the scenario file (Lua, sandboxed; loops may generate the steps) and reads its table.
    public static func load(path: String) throws -> DemoScenario {
        let json = try WorldDefinition.readLuaTable(path: path)
        guard let steps = json["steps"]?.array, !steps.isEmpty else {
            throw SpecError(path, "`steps` must be a non-empty list")
        }
        return DemoScenario(
            path: path,
            title: json["title"]?.string ?? path,
            world: try WorldDefinition(path: path, json: json),
            steps: PluginSpec.flatten(steps)
        )
    }
}
