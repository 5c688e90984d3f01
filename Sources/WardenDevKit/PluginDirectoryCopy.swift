import Foundation

/// A temporary plugin directory for a bot the dev tools run: the shipped plugins copied (copies, not
/// links: the loader refuses plugin files that are links out of their directory; their specs left out),
/// plus generated plugins of the tool's own. The caller removes it.
enum PluginDirectoryCopy {
    /// - Parameter extra: file name → Lua source, written beside the copies.
    static func make(copying shipped: String, adding extra: [String: String] = [:]) throws -> String {
        let files = FileManager.default
        let directory = files.temporaryDirectory.appendingPathComponent("warden-run-\(UUID().uuidString)").path
        try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let source = URL(fileURLWithPath: shipped).standardizedFileURL.path
        for entry in try files.contentsOfDirectory(atPath: source) where entry != "spec" {
            try files.copyItem(atPath: source + "/" + entry, toPath: directory + "/" + entry)
        }
        for (name, text) in extra {
            try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
        }
        return directory
    }
}
