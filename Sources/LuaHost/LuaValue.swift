/// A Lua value copied out of (or to be pushed into) a `LuaState`.
///
/// Integers stay 64-bit exact (Telegram ids exceed 2^53); strings are bytes and may hold NUL.
public enum LuaValue: Sendable, Equatable {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string([UInt8])
    case table(LuaTable)
    /// A Lua function kept alive in the registry of the state it came from.
    case function(LuaRef)

    /// A Lua string value from Swift text.
    public static func string(_ text: String) -> LuaValue { .string(Array(text.utf8)) }

    /// The bytes as UTF-8 text, when this is a string (invalid sequences repaired).
    public var stringValue: String? {
        if case .string(let bytes) = self { return String(decoding: bytes, as: UTF8.self) }
        return nil
    }

    /// The value as an exact integer: integers, and floats with an integral value.
    public var integerValue: Int64? {
        switch self {
        case .integer(let value): return value
        case .number(let value):
            guard value.rounded() == value, let exact = Int64(exactly: value) else { return nil }
            return exact
        case .string(let bytes): return Int64(String(decoding: bytes, as: UTF8.self))
        default: return nil
        }
    }

    public var tableValue: LuaTable? {
        if case .table(let table) = self { return table }
        return nil
    }

    public var isNil: Bool {
        if case .nil = self { return true }
        return false
    }

    /// Lua truthiness: everything but nil and false.
    public var isTruthy: Bool {
        switch self {
        case .nil, .boolean(false): return false
        default: return true
        }
    }

    /// Lua's type name, for error messages.
    public var typeName: String {
        switch self {
        case .nil: return "nil"
        case .boolean: return "boolean"
        case .integer, .number: return "number"
        case .string: return "string"
        case .table: return "table"
        case .function: return "function"
        }
    }
}

extension LuaValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(nilLiteral: ()) { self = .nil }
    public init(floatLiteral value: Double) { self = .number(value) }
}

/// A Lua table split the way Lua stores it: a sequence `1...n` and the other keys in Lua's iteration order.
public struct LuaTable: Sendable, Equatable {
    public var array: [LuaValue]
    public var fields: [(key: LuaValue, value: LuaValue)]

    public init(array: [LuaValue] = [], fields: [(key: LuaValue, value: LuaValue)] = []) {
        self.array = array
        self.fields = fields
    }

    /// A map with string keys, in the given order.
    public init(_ fields: KeyValuePairs<String, LuaValue>) {
        self.init(fields: fields.map { (key: .string($0.key), value: $0.value) })
    }

    /// The value under a string key, or nil.
    public subscript(key: String) -> LuaValue {
        get {
            let bytes = Array(key.utf8)
            return fields.first { $0.key == .string(bytes) }?.value ?? .nil
        }
        set {
            let bytes = Array(key.utf8)
            if let index = fields.firstIndex(where: { $0.key == .string(bytes) }) {
                if newValue.isNil { fields.remove(at: index) } else { fields[index].value = newValue }
            } else if !newValue.isNil {
                fields.append((key: .string(bytes), value: newValue))
            }
        }
    }

    public var isEmpty: Bool { array.isEmpty && fields.isEmpty }

    public static func == (lhs: LuaTable, rhs: LuaTable) -> Bool {
        guard lhs.array == rhs.array, lhs.fields.count == rhs.fields.count else { return false }
        return lhs.fields.allSatisfy { field in rhs.fields.contains { $0.key == field.key && $0.value == field.value } }
    }
}
