import Foundation
import RedisStore
import Testing
import WardenTestSupport

/// A test process that dies without stopping its redis-server leaves it running; the next one reaps it.
@Suite struct RedisTestServerReapTests {
    @Test func aServerWhoseOwnerDiedIsStoppedAndItsDirectoryRemoved() async throws {
        let orphan = try await RedisTestServer.start()
        defer { orphan.stop() }
        let directory = (orphan.unixSocketPath as NSString).deletingLastPathComponent
        let bystander = try await RedisTestServer.start()
        defer { bystander.stop() }

        // Make the orphan's owner a process that has exited.
        let exited = Process()
        exited.executableURL = URL(fileURLWithPath: "/bin/true")
        try exited.run()
        exited.waitUntilExit()
        try String(exited.processIdentifier).write(toFile: directory + "/owner.pid", atomically: true, encoding: .utf8)

        RedisTestServer.reapOrphans()
        let deadline = ContinuousClock.now + .seconds(5)
        while orphan.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!orphan.isRunning)
        #expect(!FileManager.default.fileExists(atPath: directory))
        // A server whose owner (this process) is alive is left alone.
        #expect(bystander.isRunning)
        #expect(try bystander.connect().call("PING").string == "PONG")
    }
}
