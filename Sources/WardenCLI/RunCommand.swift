import ArgumentParser
import Foundation
import Logging
import WardenJSON
import WardenRuntime

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the bot.",
        discussion: """
            By default Warden long-polls the Bot API at [telegram] api_base_url (Telegram, a local Bot API
            server, or `warden simulator`). With --webhook URL it registers that URL with Telegram and serves
            it on [webhook] listen_host:listen_port. With --stdin, updates are read as JSON lines (Bot API
            Update objects) from standard input and the Bot API calls the plugins make are printed on standard
            output: a replay and testing mode that needs no token.
            """
    )

    @OptionGroup var common: CommonOptions

    @Flag(name: .long, help: "Read updates as JSON lines from standard input; print actions as JSON lines.")
    var stdin = false

    @Option(name: .long, help: "Receive updates by webhook at this public URL instead of long polling.")
    var webhook: String?

    @Flag(name: .long, help: "Drop the updates Telegram queued while the bot was away.")
    var dropPendingUpdates = false

    @Flag(name: .long, help: "Run without Redis (plugins calling redis get an error).")
    var noRedis = false

    enum ActionFormat: String, ExpressibleByArgument, CaseIterable {
        case json, text
    }

    @Option(name: .long, help: "How --stdin prints actions: json (one object per line) or text (for people).")
    var actions: ActionFormat = .json

    func run() async throws {
        let config = try common.loadConfig()
        let logger = try common.makeLogger(label: "warden")
        if stdin {
            return try await runFromStandardInput(config: config, logger: logger)
        }
        let ingress: BotRuntime.Ingress =
            (webhook ?? config.webhookURL).map { .webhook(url: $0, dropPendingUpdates: dropPendingUpdates) }
            ?? .polling(dropPendingUpdates: dropPendingUpdates)
        do {
            try await BotRuntime.run(config: config, ingress: ingress, logger: logger)
        } catch let error as ConfigError {
            throw ValidationError(error.description)
        }
    }

    private func runFromStandardInput(config: WardenConfig, logger: Logger) async throws {
        let format = actions
        let sink = RecordingActionSink { action in print(Self.render(action, as: format)) }
        let worker = try await Worker(
            options: PluginHost.Options(config: config),
            sink: sink,
            redisURL: noRedis ? nil : config.redisURL.exposedValue,
            logger: logger
        )
        let names = await worker.pluginNames
        logger.info("plugins loaded", metadata: ["plugins": "\(names.joined(separator: ","))"])
        var refused = 0
        while let line = readLine(strippingNewline: true) {
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            do {
                let update = try JSONValue(parsing: line)
                if format == .text { print(Self.describe(update)) }
                let outcome = await worker.handle(update)
                if format == .text, let stopped = outcome.stopped { print("    (\(stopped.rawValue))") }
            } catch {
                refused += 1
                logger.warning("update refused: not JSON", metadata: ["error": "\(error)"])
            }
        }
        let stats = await worker.stats
        logger.info(
            "done",
            metadata: [
                "updates": "\(stats.updates)", "refused": "\(refused)", "runs": "\(stats.runs)",
                "actions": "\(sink.actions.count)", "plugin_errors": "\(stats.pluginErrors.values.reduce(0, +))",
            ]
        )
        await worker.shutdown()
    }

    /// One action as a JSON line, or as a line for people.
    static func render(_ action: BotAction, as format: ActionFormat) -> String {
        switch format {
        case .json:
            let line: JSONValue = [
                "method": .string(action.method), "params": .object(action.params), "plugin": .string(action.plugin),
                "update_id": action.updateID.map { .int($0) } ?? .null,
            ]
            return line.jsonString
        case .text:
            var params = action.params
            let text = params.removeValue(forKey: "text")?.string
            params.removeValue(forKey: "chat_id")
            let isReply = params.removeValue(forKey: "reply_parameters") != nil
            var line = "    bot → \(action.method)\(isReply ? " (reply)" : "") [\(action.plugin)]"
            if !params.isEmpty { line += " " + JSONValue.object(params).jsonString }
            if let text {
                line +=
                    "\n"
                    + text.split(separator: "\n", omittingEmptySubsequences: false).map { "      │ \($0)" }.joined(
                        separator: "\n"
                    )
            }
            return line
        }
    }

    /// "update 12 · message from Bob (222): /help".
    static func describe(_ update: JSONValue) -> String {
        let id = update["update_id"]?.int.map(String.init) ?? "?"
        guard case .object(let fields) = update, let kind = fields.keys.sorted().first(where: { $0 != "update_id" })
        else {
            return "update \(id) · (malformed)"
        }
        let payload = fields[kind] ?? .null
        let from = payload["from"]
        let who = from.map { "\($0["first_name"]?.string ?? "?") (\($0["id"]?.int.map(String.init) ?? "?"))" } ?? "?"
        if let text = payload["text"]?.string { return "update \(id) · \(kind) from \(who): \(text)" }
        if kind == "chat_member", let status = payload["new_chat_member"]?["status"]?.string,
            let user = payload["new_chat_member"]?["user"]?["first_name"]?.string
        {
            return "update \(id) · chat_member: \(user) is now \(status)"
        }
        return "update \(id) · \(kind) from \(who)"
    }
}
