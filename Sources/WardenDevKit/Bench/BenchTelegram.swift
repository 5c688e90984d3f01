import Foundation
import Logging
import TelegramSimulator

/// The Telegram a benchmark drives: the simulator in this process (the raid bench, which watches its calls and
/// messages) or in a child process (`warden bench`, so the peak RSS it prints is the bot's alone).
protocol BenchTelegram: Sendable {
    /// Where the bot finds the Bot API.
    var baseURL: String { get }
    func seedBench(groups: Int, users: Int, usernamePrefix: String) async throws -> TelegramSimulator.BenchWorld
    /// Posts in order, all before the bot's next `getUpdates` is answered; nil where Telegram refused one.
    func post(_ posts: [TelegramSimulator.BenchPost]) async throws -> [Int64?]
    /// The peak RSS of the process it runs in, when that is not this one.
    var peakRSSMegabytes: Double? { get }
    func stop() async
}

/// The token of the benchmarks' bot.
enum BenchToken {
    static let value = "7200000001:BENCH-SIMULATOR-TOKEN"
}

extension TelegramSimulator: BenchTelegram {
    var peakRSSMegabytes: Double? { nil }

    static func startForBench(logger: Logger) async throws -> TelegramSimulator {
        let simulator = TelegramSimulator(configuration: .init(token: BenchToken.value, logger: logger))
        try await simulator.start()
        return simulator
    }
}

/// `warden simulator` run as a child process on a free loopback port, driven through its control API. It exits
/// when this process does, even one killed without a chance to stop it (`--exit-with-parent`).
final class SimulatorProcess: BenchTelegram {
    let baseURL: String
    private let control: SimulatorControl
    private let process: ChildProcess

    private init(baseURL: String, process: ChildProcess) {
        self.baseURL = baseURL
        self.process = process
        control = SimulatorControl(baseURL: baseURL)
    }

    /// Starts `binary simulator` and waits for the line that names its address.
    static func start(binary: String) async throws -> SimulatorProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["simulator", "--port", "0", "--token", BenchToken.value, "--exit-with-parent"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let child = ChildProcess(process)
        let firstLine = await Task.detached { Self.readLine(output.fileHandleForReading) }.value
        guard let url = firstLine?.split(separator: " ").last, url.hasPrefix("http://127.0.0.1:") else {
            child.stop()
            throw BenchError("the simulator (\(binary) simulator) did not start: \(firstLine ?? "no output")")
        }
        return SimulatorProcess(baseURL: String(url), process: child)
    }

    /// One line, read byte by byte so nothing after it is taken from the pipe; nil at the end of the output.
    private static func readLine(_ handle: FileHandle) -> String? {
        var line: [UInt8] = []
        while let byte = try? handle.read(upToCount: 1)?.first {
            if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
        return line.isEmpty ? nil : String(decoding: line, as: UTF8.self)
    }

    func seedBench(groups: Int, users: Int, usernamePrefix: String) async throws -> TelegramSimulator.BenchWorld {
        try await control.seedBench(groups: groups, users: users, usernamePrefix: usernamePrefix)
    }

    func post(_ posts: [TelegramSimulator.BenchPost]) async throws -> [Int64?] {
        try await control.post(posts)
    }

    var peakRSSMegabytes: Double? { ProcessMemory.megabytes(of: process.pid).peak }

    func stop() async { process.stop() }
}

/// A started `Process`, stopped once (SIGTERM, then waited for).
private final class ChildProcess: @unchecked Sendable {
    private let lock = NSLock()
    private let process: Process

    init(_ process: Process) { self.process = process }

    var pid: Int32 { process.processIdentifier }

    func stop() {
        lock.withLock {
            guard process.isRunning else { return }
            process.terminate()
            process.waitUntilExit()
        }
    }
}
