import Foundation
import ServiceLifecycle

/// Hot reload: looks at the plugin directory (and its `lib/` and `lang/`) once a second and asks every
/// worker to reload when a `.lua` file was added, changed or removed. Workers reload between batches,
/// so no update is dropped or handled twice.
struct PluginWatcher: Service {
    let directory: String
    let reload: ReloadSignal
    var interval: Duration = .seconds(1)

    func run() async {
        var last = Self.fingerprint(of: directory)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            if Task.isShuttingDownGracefully { break }
            var now = Self.fingerprint(of: directory)
            guard now != last else { continue }
            // An editor's save can be several steps (write a temp file, rename): wait until it settles.
            while true {
                try? await Task.sleep(for: .milliseconds(200))
                let settled = Self.fingerprint(of: directory)
                if settled == now { break }
                now = settled
            }
            last = now
            reload.request()
        }
    }

    /// Name, size and modification time of every `.lua` file the plugins load.
    static func fingerprint(of directory: String) -> [String: String] {
        var files: [String: String] = [:]
        let manager = FileManager.default
        for folder in [directory, directory + "/lib", directory + "/lang"] {
            guard let enumerator = manager.enumerator(atPath: folder) else { continue }
            while let name = enumerator.nextObject() as? String {
                // Nested folders of lib/ are walked; plugin specs are not loaded by the bot.
                if folder == directory && name.contains("/") { continue }
                guard name.hasSuffix(".lua"),
                    let attributes = try? manager.attributesOfItem(atPath: folder + "/" + name)
                else { continue }
                let size = attributes[.size] as? Int ?? 0
                let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                files[folder + "/" + name] = "\(size)@\(modified)"
            }
        }
        return files
    }
}
