import ServiceLifecycle

/// Calls plugins' `cron()` when due. Only on the first worker: every worker
/// has every plugin, and a cron job should run once, not once per shard.
struct CronService: Service {
    let worker: Worker

    func run() async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
            if Task.isShuttingDownGracefully { break }
            await worker.runCron()
        }
    }
}
