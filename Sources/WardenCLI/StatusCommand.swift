import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import WardenJSON
import WardenRuntime

/// `warden status`: asks the running bot (its `[status]` endpoint) how it is doing.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the running bot's health: uptime, updates handled, plugin errors, outbox.",
        discussion: "Needs [status] listen_port in the bot's config; /metrics on the same port is for Prometheus."
    )

    @OptionGroup var common: CommonOptions

    @Flag(help: "Print the JSON as the bot sent it.")
    var json = false

    func run() async throws {
        let config = try common.loadConfig()
        guard config.statusListenPort != 0 else {
            throw ValidationError("[status] listen_port is not set in the config, so the bot serves no status")
        }
        let url = "http://\(config.statusListenHost):\(config.statusListenPort)/health"
        let health: JSONValue
        do {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
            let body = try await response.body.collect(upTo: 1 << 20)
            health = try JSONValue(parsing: Array(body.readableBytesView))
        } catch {
            print("warden is not answering at \(url): \(error)")
            throw ExitCode(1)
        }
        if json {
            print(String(decoding: health.serialized(sortedKeys: true), as: UTF8.self))
            return
        }
        let outbox = health["outbox"]
        print(
            """
            bot             \(health["bot"]?.string ?? "?") (\(health["status"]?.string ?? "?"))
            uptime          \(health["uptime_seconds"]?.int ?? 0) s
            workers         \(health["workers"]?.int ?? 0)
            updates handled \(health["updates_handled"]?.int ?? 0)
            plugin errors   \(health["plugin_errors"]?.int ?? 0)
            plugins         \((health["plugins"]?.array ?? []).compactMap(\.string).joined(separator: ", "))
            outbox          \(outbox?["queued"]?.int ?? 0) queued, \(outbox?["in_flight"]?.int ?? 0) in flight, \
            \(outbox?["requests"]?.int ?? 0) requests, \(outbox?["rate_limited"]?.int ?? 0) rate-limited, \
            \(outbox?["rejected"]?.int ?? 0) refused
            """
        )
    }
}
