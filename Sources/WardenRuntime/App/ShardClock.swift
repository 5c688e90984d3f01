import ServiceLifecycle

/// Runs one worker's due `after` timers and `cron` jobs, on the worker's own thread, so they are
/// ordered with the updates of the worker's chats. Every worker has one.
struct ShardClock: Service {
    let worker: Worker
    /// How late a timer may fire: a hop onto an idle worker ten times a second costs nothing to speak of.
    static let resolution: Duration = .milliseconds(100)

    func run() async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.resolution) }
            if Task.isShuttingDownGracefully { break }
            await worker.runDue()
        }
    }
}
