import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import WardenJSON

/// Delivers queued updates to the webhook the bot set: POST per update, retried with backoff until a 2xx.
///
/// Order is kept per chat (the next update for a chat waits for the previous one); different chats proceed
/// in parallel up to max_connections. A JSON answer with a "method" is executed as a Bot API call, as
/// Telegram does for webhook replies.
struct WebhookDelivery: Service {
    let state: SimulatorState
    let client: HTTPClient
    let timeout: Double
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                while !Task.isCancelled {
                    let jobs = await state.claimDeliveries()
                    for job in jobs {
                        group.addTask { await deliver(job) }
                    }
                    // Polling the queue every few milliseconds keeps delivery simple and prompt on loopback.
                    try? await Task.sleep(for: .milliseconds(jobs.isEmpty ? 10 : 1))
                }
                group.cancelAll()
            }
        }
    }

    private func deliver(_ job: DeliveryJob) async {
        var request = HTTPClientRequest(url: job.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let secret = job.secretToken { request.headers.add(name: "X-Telegram-Bot-Api-Secret-Token", value: secret) }
        request.body = .bytes(job.update.bytes)
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            let body = try await response.body.collect(upTo: 1 << 20)
            guard (200..<300).contains(response.status.code) else {
                let reason = "Wrong response from the webhook: \(response.status.code) \(response.status.reasonPhrase)"
                logger.debug(
                    "webhook delivery failed",
                    metadata: ["update_id": "\(job.update.id)", "error": "\(reason)"]
                )
                await state.finishDelivery(job, error: reason)
                return
            }
            await state.finishDelivery(job, error: nil)
            if let reply = try? JSONValue(parsing: Array(body.readableBytesView)), let method = reply["method"]?.string
            {
                var params = reply.object ?? [:]
                params["method"] = nil
                _ = await state.handle(token: state.configuration.token, method: method, params: params)
            }
        } catch {
            let reason = Self.describe(error)
            logger.debug("webhook delivery failed", metadata: ["update_id": "\(job.update.id)", "error": "\(reason)"])
            await state.finishDelivery(job, error: reason)
        }
    }

    /// Telegram's wording where it has one ("Connection refused", "Read timeout expired").
    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectTimeout") || text.contains("deadlineExceeded") || text.contains("readTimeout") {
            return "Read timeout expired"
        }
        if text.lowercased().contains("refused") { return "Connection refused" }
        return "Connection failed: \(text)"
    }
}
