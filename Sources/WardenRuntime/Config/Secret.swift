/// A value that must never be printed: the bot token, a Redis password.
///
/// `description` and `debugDescription` are redacted, so string interpolation
/// into a log line or an error cannot leak it; read `exposedValue` on purpose.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let exposedValue: String

    public init(_ value: String) { exposedValue = value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}
