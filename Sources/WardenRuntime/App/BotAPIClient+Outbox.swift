public import BotAPI
public import WardenJSON

/// The real outbox transport: a Bot API call, its error sorted by what the outbox should do.
extension BotAPIClient: OutboxTransport {
    public func perform(_ method: String, _ params: [String: JSONValue]) async -> OutboxCallResult {
        do {
            return .success(try await call(method, params))
        } catch {
            return Self.classify(error)
        }
    }

    static func classify(_ error: BotAPIError) -> OutboxCallResult {
        if let retryAfter = error.retryAfter { return .rateLimited(retryAfter: Double(retryAfter)) }
        if let chat = error.migrateToChatID { return .migrated(to: chat) }
        if error.isRetryable { return .transient(error.description) }
        return .rejected(code: error.errorCode ?? 0, description: error.description)
    }
}
