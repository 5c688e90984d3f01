/// An error from the Redis client, naming where it came from.
///
/// Messages never contain the password of the ``RedisURL``. Text that the Redis server sent is
/// kept verbatim in ``server(_:)`` and ``authentication(_:)`` and marked as such in
/// ``description``, because it can contain key names or script source.
public enum RedisError: Error, Sendable, Hashable {
    /// Could not connect, or the connection broke (refused, reset, closed by the server, I/O error).
    /// `errno` is 0 when no system error applies.
    case connection(errno: Int32, message: String)
    /// Connecting, or waiting for a reply, took longer than the configured timeout.
    case timeout(String)
    /// The bytes on the wire were not valid RESP, or a request could not be encoded.
    case protocolError(String)
    /// The server answered with an error reply (`-ERR ...`); the text is the server's.
    case server(String)
    /// The server rejected `AUTH` (wrong password or ACL user); the text is the server's.
    case authentication(String)
    /// The connection was closed with ``RedisConnection/close()``.
    case closed
    /// A Redis URL could not be parsed or uses an unsupported feature.
    case invalidURL(String)

    /// A short, fixed label for this error's origin, safe as a metric label or log field.
    public var shortDescription: String {
        switch self {
        case .connection: "connection"
        case .timeout: "timeout"
        case .protocolError: "protocol"
        case .server: "server"
        case .authentication: "auth"
        case .closed: "closed"
        case .invalidURL: "invalid_url"
        }
    }

    /// The first word of a server error reply (`WRONGTYPE`, `NOSCRIPT`, ...), if it is one.
    public var serverErrorCode: String? {
        switch self {
        case .server(let text), .authentication(let text): RedisReply.errorCode(of: text)
        default: nil
        }
    }
}

extension RedisError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .connection(let errno, let message):
            errno == 0 ? "Redis connection error: \(message)" : "Redis connection error: \(message) (errno \(errno))"
        case .timeout(let message): "Redis timeout: \(message)"
        case .protocolError(let message): "Redis protocol error: \(message)"
        case .server(let text): "Redis server replied with an error: \(text)"
        case .authentication(let text): "Redis server rejected AUTH: \(text)"
        case .closed: "Redis connection was closed by the application"
        case .invalidURL(let message): "Invalid Redis URL: \(message)"
        }
    }
}
