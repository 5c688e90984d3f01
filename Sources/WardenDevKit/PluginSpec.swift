public import WardenJSON

/// A plugin spec file (docs/plugin-testing.md): a small world and the cases played in it.
public struct PluginSpec: Sendable {
    public struct Case: Sendable {
        public let name: String
        public let steps: [JSONValue]
        /// Seconds a positive expectation waits.
        public let timeout: Double
        /// Why the case is not played (a known bug in code someone else is changing, say); nil: played.
        public let skip: String?
    }

    public let path: String
    public let world: WorldDefinition
    public let cases: [Case]

    /// Runs the file in a Lua sandbox (no host API) and reads the table it returns.
    public static func load(path: String) throws -> PluginSpec {
        try PluginSpec(path: path, json: try WorldDefinition.readLuaTable(path: path))
    }

    init(path: String, json: JSONValue) throws {
        self.path = path
        world = try WorldDefinition(path: path, json: json)
        guard let cases = json["cases"]?.array, !cases.isEmpty else {
            throw SpecError(path, "`cases` must be a non-empty list")
        }
        let timeout = json["timeout"]?.double ?? 15
        self.cases = try cases.enumerated().map { (index, item) throws in
            guard let name = item["name"]?.string else { throw SpecError(path, "case \(index + 1) has no `name`") }
            guard let steps = item["steps"]?.array else {
                throw SpecError(path, "case \"\(name)\" has no `steps` list")
            }
            return Case(
                name: name,
                steps: Self.flatten(steps),
                timeout: item["timeout"]?.double ?? timeout,
                skip: item["skip"]?.string
            )
        }
    }
}

extension PluginSpec {
    /// Steps may be given in nested lists (a helper returning several steps): they are played in order.
    static func flatten(_ steps: [JSONValue]) -> [JSONValue] {
        steps.flatMap { step in step.array.map(flatten) ?? [step] }
    }
}

/// A spec file that cannot be read, or a step that cannot be played.
public struct SpecError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ path: String, _ message: String) { description = "\(path): \(message)" }
    init(_ message: String) { description = message }
}
