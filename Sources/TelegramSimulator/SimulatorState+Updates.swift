import Foundation
import WardenJSON

/// A getUpdates call waiting for its first update or its timeout.
struct WaitingPoll {
    let id: Int
    let continuation: CheckedContinuation<BotReply, Never>
    let limit: Int
    var answerScheduled = false
}

/// The webhook the bot set, and how delivery to it is going.
struct WebhookRecord: Sendable {
    var url: String
    var secretToken: String?
    var maxConnections: Int
    /// Changes with every setWebhook, so deliveries started for an older webhook are ignored.
    var generation: Int
    var lastErrorDate: Int64?
    var lastErrorMessage: String?
    var inFlight: Set<Int64> = []
    var attempts: [Int64: Int] = [:]
    var retryAt: [Int64: ContinuousClock.Instant] = [:]
}

/// One update to POST to the webhook.
struct DeliveryJob: Sendable {
    let update: PendingUpdate
    let url: String
    let secretToken: String?
    let generation: Int
}

extension SimulatorState {
    static let pollConflict =
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
    static let webhookActive =
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"

    // MARK: getUpdates

    /// Long polling as Telegram does it: answer at once when updates are queued, otherwise wait up to
    /// `timeout` seconds and answer as soon as one arrives; a newer call ends an older waiting one with 409.
    func getUpdates(_ params: [String: JSONValue]) async -> BotReply {
        if webhook != nil { return .error(409, Self.webhookActive) }
        queue.setAllowed(params["allowed_updates"]?.array?.compactMap(\.string))
        if let older = poll {
            poll = nil
            older.continuation.resume(returning: .error(409, Self.pollConflict))
        }
        let limit = Int(params["limit"]?.int ?? 100)
        let timeout = params["timeout"]?.int ?? 0
        let updates = queue.fetch(offset: params["offset"]?.int, limit: limit)
        if !updates.isEmpty || timeout <= 0 || isStopping { return delivered(updates) }
        let id = nextWaiterID
        nextWaiterID += 1
        return await withCheckedContinuation { continuation in
            poll = WaitingPoll(id: id, continuation: continuation, limit: limit)
            Task {
                try? await Task.sleep(for: .seconds(Double(timeout)))
                self.pollTimedOut(id: id)
            }
        }
    }

    private func delivered(_ updates: [PendingUpdate]) -> BotReply {
        counters.updatesDelivered += updates.count
        var reply = BotReply.ok(.array(updates.map(\.json)))
        // What `reply.body` serializes to, keys sorted, from each update's stored bytes.
        var bytes = Array(#"{"ok":true,"result":["#.utf8)
        bytes.reserveCapacity(updates.reduce(bytes.count + 2) { $0 + $1.bytes.count + 1 })
        for (position, update) in updates.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: update.bytes)
        }
        bytes.append(contentsOf: "]}".utf8)
        reply.bytes = bytes
        return reply
    }

    private func pollTimedOut(id: Int) {
        guard poll?.id == id else { return }
        answerPollNow()
    }

    /// Answers the waiting poll after the current actor turn, so updates queued together arrive together.
    func schedulePollAnswer() {
        guard var waiting = poll, !waiting.answerScheduled else { return }
        waiting.answerScheduled = true
        poll = waiting
        Task { self.answerPollNow() }
    }

    private func answerPollNow() {
        guard let waiting = poll else { return }
        poll = nil
        waiting.continuation.resume(returning: delivered(queue.fetch(offset: nil, limit: waiting.limit)))
    }

    /// Ends a waiting poll with a fixed answer (empty on stop, 409 when a webhook replaces polling).
    func answerPoll(with reply: BotReply) {
        guard let waiting = poll else { return }
        poll = nil
        waiting.continuation.resume(returning: reply)
    }

    func answerPoll(with updates: [JSONValue]) { answerPoll(with: .ok(.array(updates))) }

    // MARK: Webhook methods

    func setWebhook(_ params: [String: JSONValue]) throws(APIError) -> BotReply {
        let url = params["url"]?.string ?? ""
        if url.isEmpty { return deleteWebhook(params) }
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), let host = parsed.host else {
            throw .badRequest("bad webhook: Failed to resolve host: Name or service not known")
        }
        let isLoopback = host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]"
        // Telegram requires HTTPS on ports 443, 80, 88 or 8443; a loopback receiver in a test may use plain HTTP.
        guard scheme == "https" || (scheme == "http" && isLoopback) else {
            throw .badRequest("bad webhook: An HTTPS URL must be provided for webhook")
        }
        if !isLoopback, let port = parsed.port, ![443, 80, 88, 8443].contains(port) {
            throw .badRequest("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
        }
        let secret = params["secret_token"]?.string
        if let secret,
            !secret.unicodeScalars.allSatisfy({
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-")
            })
        {
            throw .badRequest("secret token contains unallowed characters")
        }
        queue.setAllowed(params["allowed_updates"]?.array?.compactMap(\.string))
        if params["drop_pending_updates"]?.bool == true { queue.removeAll() }
        answerPoll(with: .error(409, "Conflict: terminated by setWebhook request"))
        let unchanged = webhook?.url == url && webhook?.secretToken == secret
        webhook = WebhookRecord(
            url: url,
            secretToken: secret,
            maxConnections: Int(params["max_connections"]?.int ?? 40),
            generation: (webhook?.generation ?? 0) + 1
        )
        return .ok(true, description: unchanged ? "Webhook is already set" : "Webhook was set")
    }

    func deleteWebhook(_ params: [String: JSONValue]) -> BotReply {
        if params["drop_pending_updates"]?.bool == true { queue.removeAll() }
        let wasSet = webhook != nil
        webhook = nil
        return .ok(true, description: wasSet ? "Webhook was deleted" : "Webhook is already deleted")
    }

    func webhookInfo() -> JSONValue {
        var info: [String: JSONValue] = [
            "url": .string(webhook?.url ?? ""), "has_custom_certificate": false,
            "pending_update_count": .int(Int64(queue.pending.count)),
        ]
        if let hook = webhook {
            info["max_connections"] = .int(Int64(hook.maxConnections))
            info["ip_address"] = "127.0.0.1"
            if let date = hook.lastErrorDate { info["last_error_date"] = .int(date) }
            if let message = hook.lastErrorMessage { info["last_error_message"] = .string(message) }
        }
        if let allowed = queue.allowedUpdates { info["allowed_updates"] = .array(allowed.map(JSONValue.string)) }
        return .object(info)
    }

    // MARK: Webhook delivery

    /// Claims what may be sent now: updates in id order, one at a time per chat, at most max_connections.
    func claimDeliveries() -> [DeliveryJob] {
        guard var hook = webhook, !isStopping else { return [] }
        var jobs: [DeliveryJob] = []
        var blockedKeys = Set<Int64>()
        let now = ContinuousClock.now
        for update in queue.pending {
            guard hook.inFlight.count < hook.maxConnections else { break }
            // An earlier update for the same chat, in flight or waiting to be retried, goes first.
            guard blockedKeys.insert(update.key).inserted else { continue }
            if hook.inFlight.contains(update.id) { continue }
            if let retry = hook.retryAt[update.id], retry > now { continue }
            hook.inFlight.insert(update.id)
            jobs.append(
                DeliveryJob(update: update, url: hook.url, secretToken: hook.secretToken, generation: hook.generation)
            )
        }
        webhook = hook
        return jobs
    }

    /// Records a delivery's outcome: success forgets the update, failure schedules a retry with backoff.
    func finishDelivery(_ job: DeliveryJob, error: String?) {
        guard var hook = webhook, hook.generation == job.generation else { return }
        let id = job.update.id
        hook.inFlight.remove(id)
        if let error {
            let attempt = (hook.attempts[id] ?? 0) + 1
            hook.attempts[id] = attempt
            let delay = min(
                configuration.webhookRetryBaseDelay * pow(2, Double(attempt - 1)),
                configuration.webhookRetryMaxDelay
            )
            hook.retryAt[id] = ContinuousClock.now.advanced(by: .seconds(delay))
            hook.lastErrorDate = nowSeconds
            hook.lastErrorMessage = error
            counters.webhookFailures += 1
        } else {
            hook.attempts[id] = nil
            hook.retryAt[id] = nil
            queue.remove(id: id)
            counters.updatesDelivered += 1
        }
        webhook = hook
    }
}

extension SimulatorState {
    /// Answers every waiting request so the HTTP server can shut down without waiting for timeouts.
    func shutdown() {
        isStopping = true
        answerPoll(with: [])
        for continuation in hangs.values { continuation.resume() }
        hangs.removeAll()
    }
}
