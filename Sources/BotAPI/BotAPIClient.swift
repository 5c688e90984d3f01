public import AsyncHTTPClient
import Foundation
public import Logging
import NIOCore
import NIOHTTP1
public import WardenJSON

/// Calls the Bot API over HTTP with keep-alive (AsyncHTTPClient's pool).
///
/// The base URL is configurable so a local Bot API server or `warden simulator`
/// can stand in for Telegram. The token is only ever put in the request path:
/// never in an error, a log line or this type's description.
///
/// ```swift
/// let client = BotAPIClient(token: token, baseURL: "http://127.0.0.1:8081")
/// let me = try await client.getMe()
/// let sent = try await client.call("sendMessage", ["chat_id": .int(chat), "text": "hi"])
/// ```
public struct BotAPIClient: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    private let token: String
    public let baseURL: String
    private let httpClient: HTTPClient
    /// The deadline of one request, unless a call gives its own.
    public let requestTimeout: Duration
    private let logger: Logger?

    public init(
        token: String,
        baseURL: String = "https://api.telegram.org",
        httpClient: HTTPClient = .shared,
        requestTimeout: Duration = .seconds(15),
        logger: Logger? = nil
    ) {
        self.token = token
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.httpClient = httpClient
        self.requestTimeout = requestTimeout
        self.logger = logger
    }

    public var description: String { "BotAPIClient(\(baseURL), token: <redacted>)" }
    public var debugDescription: String { description }

    private func url(_ method: String) -> String { "\(baseURL)/bot\(token)/\(method)" }

    /// Calls a method with JSON parameters and returns Telegram's `result`.
    public func call(
        _ method: String,
        _ params: [String: JSONValue] = [:],
        timeout: Duration? = nil
    )
        async throws(BotAPIError) -> JSONValue
    {
        try await send(jsonRequest(method, params), method: method, timeout: timeout ?? requestTimeout).result
    }

    /// `call`, also returning the answer's bytes.
    func callKeepingBody(
        _ method: String,
        _ params: [String: JSONValue],
        timeout: Duration
    )
        async throws(BotAPIError) -> (result: JSONValue, body: [UInt8])
    {
        let (result, body) = try await send(jsonRequest(method, params), method: method, timeout: timeout)
        return (result, Array(body.readableBytesView))
    }

    private func jsonRequest(_ method: String, _ params: [String: JSONValue]) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url(method))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(JSONValue.object(params).serialized())
        return request
    }

    /// Calls a method with files, as multipart/form-data; other parameters go as form fields.
    public func upload(
        _ method: String,
        params: [String: JSONValue],
        files: [String: InputFile]
    ) async throws(BotAPIError)
        -> JSONValue
    {
        let form = MultipartForm()
        let fields = params.keys.sorted().compactMap { key -> (name: String, value: String)? in
            switch params[key] ?? .null {
            case .null: nil
            case .string(let text): (key, text)
            case let value: (key, value.jsonString)
            }
        }
        var request = HTTPClientRequest(url: url(method))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: form.contentType)
        request.body = .bytes(form.encode(fields: fields, files: files.keys.sorted().map { ($0, files[$0]!) }))
        return try await send(request, method: method, timeout: requestTimeout).result
    }

    /// Sends a request; returns Telegram's `result` and the answer it came in.
    private func send(
        _ request: HTTPClientRequest,
        method: String,
        timeout: Duration
    ) async throws(BotAPIError)
        -> (result: JSONValue, body: ByteBuffer)
    {
        let started = ContinuousClock.now
        let status: Int
        let body: ByteBuffer
        do {
            let response = try await httpClient.execute(request, timeout: .nanoseconds(Int64(timeout.nanoseconds)))
            status = Int(response.status.code)
            body = try await response.body.collect(upTo: 64 << 20)
        } catch {
            let failure = classify(error, method: method)
            logger?.debug(
                "bot api call failed",
                metadata: ["method": "\(method)", "error": "\(failure.shortDescription)"]
            )
            throw failure
        }
        do {
            let result = try Self.result(of: body.readableBytesView, status: status, method: method)
            logger?.debug(
                "bot api call",
                metadata: ["method": "\(method)", "duration": "\(ContinuousClock.now - started)"]
            )
            return (result, body)
        } catch {
            logger?.debug(
                "bot api call refused",
                metadata: ["method": "\(method)", "error": "\(error.shortDescription)"]
            )
            throw error
        }
    }

    /// Telegram's envelope: `{"ok":true,"result":…}` or `{"ok":false,"error_code":…,"description":…,"parameters":…}`.
    static func result(of body: some Collection<UInt8>, status: Int, method: String) throws(BotAPIError) -> JSONValue {
        guard let envelope = try? JSONValue(parsing: body), let ok = envelope["ok"]?.bool else {
            throw BotAPIError(
                kind: .http,
                method: method,
                text: "HTTP \(status) without a Bot API answer",
                httpStatus: status
            )
        }
        if ok { return envelope["result"] ?? .null }
        var parameters: ResponseParameters?
        if let raw = envelope["parameters"] {
            parameters = ResponseParameters(
                migrateToChatID: raw["migrate_to_chat_id"]?.int,
                retryAfter: raw["retry_after"]?.int.map { Int($0) }
            )
        }
        let code = envelope["error_code"]?.int.map { Int($0) } ?? status
        throw BotAPIError(
            kind: .telegram,
            method: method,
            text: envelope["description"]?.string ?? "Error \(code)",
            httpStatus: status,
            errorCode: code,
            parameters: parameters
        )
    }

    /// Sorts transport errors; their text goes through `redacted` in case a URL (with the token) is in it.
    private func classify(_ error: any Error, method: String) -> BotAPIError {
        if error is CancellationError || Task.isCancelled {
            return BotAPIError(kind: .cancelled, method: method, text: "cancelled")
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout:
                return BotAPIError(kind: .timeout, method: method, text: redacted("\(error)"))
            case .cancelled:
                return BotAPIError(kind: .cancelled, method: method, text: "cancelled")
            default: break
            }
        }
        return BotAPIError(kind: .network, method: method, text: redacted(String(describing: error)))
    }

    private func redacted(_ text: String) -> String {
        text.replacingOccurrences(of: token, with: "<token>")
    }
}

extension Duration {
    fileprivate var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
