/// A JSON document held in memory, as Telegram sends it and as plugins see it.
///
/// Integers that fit in `Int64` are kept as `.int` so that chat and user ids above 2^53
/// survive exactly; every other number is a `.double`. Comparison follows Swift: strings
/// compare by canonical equivalence and `.int(1) != .double(1)`.
public enum JSONValue: Sendable, Hashable {
    /// The JSON `null` literal.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number written without fraction or exponent that fits in `Int64`.
    case int(Int64)
    /// Any other number; always finite when produced by the parser.
    case double(Double)
    /// A string, already unescaped.
    case string(String)
    /// An ordered list of values.
    case array([JSONValue])
    /// An object; member order is not preserved and the last duplicate key wins.
    case object([String: JSONValue])
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text of this value.
    public var description: String { jsonString }
}

extension JSONValue: ExpressibleByNilLiteral {
    /// Creates `.null` from `nil`.
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    /// Creates `.bool` from `true` or `false`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    /// Creates `.int` from an integer literal.
    public init(integerLiteral value: Int64) { self = .int(value) }
}

extension JSONValue: ExpressibleByFloatLiteral {
    /// Creates `.double` from a floating-point literal.
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension JSONValue: ExpressibleByStringLiteral {
    /// Creates `.string` from a string literal.
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByArrayLiteral {
    /// Creates `.array` from an array literal.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    /// Creates `.object` from a dictionary literal; a repeated key keeps its last value, as in parsing.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        // Dictionary(uniqueKeysWithValues:) would trap on a repeated key; JSON semantics say last wins.
        var object = [String: JSONValue](minimumCapacity: elements.count)
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}
