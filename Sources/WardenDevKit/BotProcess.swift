import Foundation
import Synchronization

/// `warden run` as a child process, started again after each kill; each start logs to a file of its own.
final class BotProcess: Sendable {
    let binary: String
    let config: String
    let logDirectory: String
    private let current = Mutex<Process?>(nil)
    private let started = Atomic(0)

    init(binary: String, config: String, logDirectory: String) {
        self.binary = binary
        self.config = config
        self.logDirectory = logDirectory
    }

    var starts: Int { started.load(ordering: .relaxed) }

    /// The running process's id, if one runs.
    var pid: Int32? { current.withLock { $0?.isRunning == true ? $0?.processIdentifier : nil } }

    func launch(logLevel: String = "info") throws {
        let number = started.add(1, ordering: .relaxed).newValue
        let log = logDirectory + "/bot-\(number).log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["run", "--config", config, "--log-level", logLevel]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        current.withLock { $0 = process }
    }

    /// SIGKILL: no flush, no goodbye.
    func kill() {
        guard let process = current.withLock({ $0 }) else { return }
        _ = Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, and waits for the exit.
    func stop() {
        guard let process = current.withLock({ $0 }), process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// How often each message index was dispatched, from the probe's log lines of every start.
    func dispatchedIndices() -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for number in 1...max(1, starts) {
            guard let data = FileManager.default.contents(atPath: logDirectory + "/bot-\(number).log") else { continue }
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                guard let range = line.firstRange(of: "text=dispatched ") else { continue }
                let digits = line[range.upperBound...].prefix { $0.isNumber }
                if let index = Int(digits) { counts[index, default: 0] += 1 }
            }
        }
        return counts
    }
}
