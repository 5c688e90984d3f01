extension JSONValue {
    /// The member named `key`, or nil when it is missing or this value is not an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    /// The element at `index`, or nil when it is out of bounds or this value is not an array.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let array) = self, array.indices.contains(index) else { return nil }
        return array[index]
    }

    /// The integer value; a `.double` qualifies only when it is integral and fits in `Int64`.
    public var int: Int64? {
        switch self {
        case .int(let value): value
        // Some senders write ids as 1.0e9; accept them, but never round a fraction away.
        case .double(let value): Int64(exactly: value)
        default: nil
        }
    }

    /// The numeric value as a `Double`; an `.int` beyond 2^53 is rounded to the nearest double.
    public var double: Double? {
        switch self {
        case .double(let value): value
        case .int(let value): Double(value)
        default: nil
        }
    }

    /// The string payload, or nil for any other case.
    public var string: String? {
        guard case .string(let value) = self else { return nil }
        return value
    }

    /// The boolean payload, or nil for any other case.
    public var bool: Bool? {
        guard case .bool(let value) = self else { return nil }
        return value
    }

    /// The elements, or nil when this value is not an array.
    public var array: [JSONValue]? {
        guard case .array(let value) = self else { return nil }
        return value
    }

    /// The members, or nil when this value is not an object.
    public var object: [String: JSONValue]? {
        guard case .object(let value) = self else { return nil }
        return value
    }

    /// Whether this value is `.null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
