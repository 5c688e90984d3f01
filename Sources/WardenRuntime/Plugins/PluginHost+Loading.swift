import Foundation
import Logging
import LuaHost

extension PluginHost {
    /// The plugin files to load: the configured list in its order, or every
    /// `*.lua` file of the directory by name.
    public static func pluginFiles(config: WardenConfig) throws(PluginLoadError) -> [(name: String, path: String)] {
        let directory = config.pluginDirectory
        if !config.plugins.isEmpty {
            return config.plugins.map { ($0, "\(directory)/\($0).lua") }
        }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw PluginLoadError(plugin: "*", message: "cannot list plugin directory \(directory)")
        }
        return entries.filter { $0.hasSuffix(".lua") && !$0.hasPrefix(".") }.sorted()
            .map { (name: String($0.dropLast(4)), path: "\(directory)/\($0)") }
            .filter { !isDefinitionFile(path: $0.path) }
    }

    /// LuaLS definition files (first line `---@meta`) describe the API for editors; they are not plugins.
    public static func isDefinitionFile(path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 8)) ?? Data()
        return head.elementsEqual("---@meta".utf8)
    }

    /// Loads the configured plugins, replacing any loaded before. A plugin that fails to load is
    /// reported and left out, or, when an earlier version of it is loaded (a reload), that version
    /// keeps running: a typo saved into a live plugin must not switch the plugin off.
    @discardableResult
    public func loadPlugins() -> [PluginLoadError] {
        let files: [(name: String, path: String)]
        do {
            files = try Self.pluginFiles(config: options.config)
        } catch {
            logger.error("plugins not loaded", metadata: ["error": "\(error)"])
            return [error]
        }
        if files.isEmpty {
            logger.warning(
                "no plugins to load: updates are taken and nothing is done with them",
                metadata: ["directory": "\(options.config.pluginDirectory)"]
            )
        }
        var errors: [PluginLoadError] = []
        var loaded: [Plugin] = []
        var kept: Set<String> = []
        for file in files {
            do throws(PluginLoadError) {
                guard let source = FileManager.default.contents(atPath: file.path) else {
                    throw PluginLoadError(plugin: file.name, message: "cannot read \(file.path)")
                }
                loaded.append(try load(name: file.name, path: file.path, source: Array(source)))
            } catch {
                let previous = plugins.first { $0.name == file.name }
                logger.error(
                    "plugin failed to load",
                    metadata: [
                        "plugin.name": "\(file.name)", "error": "\(error.message)",
                        "kept": "\(previous != nil ? "the previous version" : "nothing")",
                    ]
                )
                counters.pluginErrors[file.name, default: 0] += 1
                errors.append(error)
                if let previous {
                    loaded.append(previous)
                    kept.insert(previous.name)
                }
            }
        }
        install(loaded, keeping: kept)
        return errors
    }

    /// Loads one plugin from source (for `warden plugin check` and tests) without installing it.
    func load(name: String, path: String, source: [UInt8]) throws(PluginLoadError) -> Plugin {
        try PluginLoader(lua: lua, sandbox: sandbox, makeAPI: makeAPI).load(name: name, path: path, source: source)
    }

    /// Loads plugins from sources and installs them in this order (tests, tools).
    @discardableResult
    public func install(sources: [(name: String, source: String)]) -> [PluginLoadError] {
        var errors: [PluginLoadError] = []
        var loaded: [Plugin] = []
        for (name, source) in sources {
            do {
                loaded.append(try load(name: name, path: "plugins/\(name).lua", source: Array(source.utf8)))
            } catch {
                errors.append(error)
            }
        }
        install(loaded)
        return errors
    }

    /// Makes `loaded` the plugin set: releases the old one (but the plugins named in `keeping`, which
    /// are carried over) and rebuilds the pattern index.
    func install(_ loaded: [Plugin], keeping: Set<String> = []) {
        for plugin in plugins where !keeping.contains(plugin.name) { plugin.release(in: lua) }
        plugins = loaded
        var owners: [(plugin: Int, pattern: Int)] = []
        var patterns: [LuaPattern] = []
        for (pluginIndex, plugin) in loaded.enumerated() {
            for (patternIndex, pattern) in plugin.patterns.enumerated() {
                owners.append((pluginIndex, patternIndex))
                patterns.append(pattern)
            }
        }
        patternOwners = owners
        index = PatternIndex(patterns)
        publishPluginList()
    }

    /// Gives every plugin yagop's `plugins` table: name → {description, usage, patterns}.
    private func publishPluginList() {
        var list = LuaTable()
        for plugin in plugins {
            list[plugin.name] = .table(
                LuaTable([
                    "description": plugin.description.map { .string($0) } ?? .nil,
                    "usage": .table(LuaTable(array: plugin.usage.map { .string($0) })),
                    "patterns": .table(LuaTable(array: plugin.patterns.map { .string($0.source) })),
                    "min_role": .string(plugin.minRole.description),
                ])
            )
        }
        for plugin in plugins {
            lua.setField("plugins", of: plugin.environment, to: .table(list))
        }
    }

    /// A description of a plugin's declarations, for `warden plugin check`.
    public func describe(name: String, path: String, source: [UInt8]) throws(PluginLoadError) -> PluginSummary {
        let plugin = try load(name: name, path: path, source: source)
        defer { plugin.release(in: lua) }
        return PluginSummary(
            name: plugin.name,
            description: plugin.description,
            patterns: plugin.patterns.map(\.source),
            handlers: (plugin.run != nil ? ["run"] : []) + (plugin.preProcess != nil ? ["pre_process"] : [])
                + (plugin.cron != nil ? ["cron"] : []) + plugin.handlers.keys.sorted().map { "on." + $0 },
            minRole: plugin.minRole.description,
            indexedPatterns: plugin.patterns.filter { $0.literalPrefixes != nil }.count
        )
    }
}

/// What `warden plugin check` prints for a plugin that loads.
public struct PluginSummary: Sendable {
    public var name: String
    public var description: String?
    public var patterns: [String]
    public var handlers: [String]
    public var minRole: String
    /// Patterns with an anchored literal prefix (tried only on matching text).
    public var indexedPatterns: Int
}
