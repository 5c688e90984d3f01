/// A failed Bot API call: Telegram's refusal, or why there was no answer.
///
/// `description` is Telegram's own text for refusals ("Bad Request: not enough
/// rights to restrict/unrestrict chat member"), so plugins can show it; it
/// never contains the bot token.
public struct BotAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the failure came from (a small closed set, safe as a metric label).
    public enum Kind: String, Sendable {
        /// Telegram answered `ok: false`.
        case telegram
        /// No connection, reset, refused.
        case network
        /// No answer within the deadline.
        case timeout
        /// An answer that is not a Bot API envelope (a proxy's HTML error page, say).
        case http
        /// An envelope whose result does not have the expected shape.
        case decoding
        /// The caller stopped waiting.
        case cancelled
    }

    public let kind: Kind
    /// The Bot API method called.
    public let method: String
    /// The HTTP status, when there was an answer.
    public let httpStatus: Int?
    /// Telegram's `error_code`.
    public let errorCode: Int?
    /// Telegram's `parameters`: `retry_after`, `migrate_to_chat_id`.
    public let parameters: ResponseParameters?
    private let text: String

    public init(
        kind: Kind,
        method: String,
        text: String,
        httpStatus: Int? = nil,
        errorCode: Int? = nil,
        parameters: ResponseParameters? = nil
    ) {
        self.kind = kind
        self.method = method
        self.text = text
        self.httpStatus = httpStatus
        self.errorCode = errorCode
        self.parameters = parameters
    }

    /// Telegram's description for refusals, else what went wrong.
    public var description: String {
        kind == .telegram ? text : "\(method): \(kind.rawValue): \(text)"
    }

    /// Seconds to wait before trying again (429).
    public var retryAfter: Int? { parameters?.retryAfter }

    /// The supergroup a group became (the call should go there instead).
    public var migrateToChatID: Int64? { parameters?.migrateToChatID }

    /// Worth trying again later: 429, 5xx, network errors and time-outs.
    public var isRetryable: Bool {
        switch kind {
        case .network, .timeout: true
        case .telegram: errorCode == 429 || (errorCode ?? 0) >= 500
        case .http: (httpStatus ?? 0) >= 500 || httpStatus == 429
        case .decoding, .cancelled: false
        }
    }

    /// Constant and short, for metric labels: `telegram_429`, `network`, `timeout`, …
    public var shortDescription: String {
        if kind == .telegram, let errorCode { return "telegram_\(errorCode)" }
        if kind == .http, let httpStatus { return "http_\(httpStatus)" }
        return kind.rawValue
    }
}
