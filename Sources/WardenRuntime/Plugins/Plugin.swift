import LuaHost

/// A plugin loaded into one Lua state: its declarations, checked at load, and
/// refs to its handlers. Everything it registered goes with `release(in:)`.
///
/// A class: every update walks the plugins, and a struct of this size would be copied (a dozen reference
/// counts) at each step. Its fields change only while the loader builds it.
final class Plugin {
    let name: String
    let path: String
    var description: String?
    var usage: [String]
    var patterns: [LuaPattern]
    var run: LuaRef?
    var preProcess: LuaRef?
    var cron: LuaRef?
    var cronInterval: Double
    /// `cron_per_shard = true`: `cron()` runs on every worker (each minding its own chats, `shard.owns`);
    /// otherwise on the first worker only, so a job written for one process runs once.
    var cronPerShard = false
    /// `on = { callback_query = f, … }`, by update kind.
    var handlers: [String: LuaRef]
    /// Who may trigger `run` (from `min_role`, `privileged` or `moderated`).
    var minRole: Role
    let table: LuaRef
    let environment: LuaRef
    /// Where the worker's figures keep this plugin's calls, by phase (`PhaseTallies.slot(of:phase:)`).
    var phaseSlots: [(phase: String, slot: Int)] = []

    init(name: String, path: String, table: LuaRef, environment: LuaRef) {
        self.name = name
        self.path = path
        usage = []
        patterns = []
        cronInterval = 60
        handlers = [:]
        minRole = .member
        self.table = table
        self.environment = environment
    }

    func release(in lua: LuaState) {
        for ref in [run, preProcess, cron].compactMap({ $0 }) + Array(handlers.values) + [table, environment] {
            lua.release(ref)
        }
    }
}

/// Why a plugin did not load, with its name (and line, when Lua gave one).
public struct PluginLoadError: Error, CustomStringConvertible, Sendable {
    public var plugin: String
    public var message: String

    public var description: String { "plugin \(plugin): \(message)" }
}
