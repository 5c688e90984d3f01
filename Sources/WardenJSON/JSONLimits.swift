/// Caps that keep hostile input from exhausting the stack or memory while parsing.
public struct JSONLimits: Sendable, Hashable {
    /// Most containers that may be open at once; the outermost array or object counts as 1.
    ///
    /// The parser never recurses, but comparing, serializing and freeing a value do, so keep this
    /// in the hundreds at most.
    public var maxDepth: Int
    /// Largest accepted input, in bytes.
    public var maxBytes: Int
    /// Largest accepted decoded string (keys included), in UTF-8 bytes; nil for no cap beyond `maxBytes`.
    public var maxStringBytes: Int?

    /// Creates limits; the defaults suit Telegram updates with ample headroom.
    public init(maxDepth: Int = 64, maxBytes: Int = 8 << 20, maxStringBytes: Int? = nil) {
        self.maxDepth = maxDepth
        self.maxBytes = maxBytes
        self.maxStringBytes = maxStringBytes
    }

    /// Depth 64, 8 MiB of input, no separate string cap.
    public static let `default` = JSONLimits()
}
