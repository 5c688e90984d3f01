/// A missing or bad setting, named by its field (`redis.url`, `sudo_users[2]`).
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public var field: String?
    public var message: String

    public init(field: String?, _ message: String) {
        self.field = field
        self.message = message
    }

    /// One line, for the terminal: `config: redis.url: expected a string`.
    public var description: String {
        if let field { return "config: \(field): \(message)" }
        return "config: \(message)"
    }
}
