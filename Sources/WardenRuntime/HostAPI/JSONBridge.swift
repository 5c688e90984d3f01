public import LuaHost
public import WardenJSON

/// JSON ↔ Lua: Bot API objects become Lua tables with the same field names;
/// Lua tables become JSON for Bot API parameters and `json.encode`.
extension LuaState {
    /// Pushes a JSON value; objects become tables, arrays sequences, null nil.
    public func push(json: JSONValue) {
        switch json {
        case .null: pushNil()
        case .bool(let flag): push(flag)
        case .int(let number): push(number)
        case .double(let number): push(number)
        case .string(let text): push(text)
        case .array(let items):
            guard ensureStack(3) else { return pushNil() }
            pushTable(arrayCount: items.count)
            for (offset, item) in items.enumerated() {
                push(json: item)
                setIndex(Int64(offset + 1))
            }
        case .object(let fields):
            guard ensureStack(3) else { return pushNil() }
            pushTable(fieldCount: fields.count)
            for (key, value) in fields where !value.isNull {
                push(key)
                push(json: value)
                setKeyAndValue()
            }
        }
    }
}

/// Why a Lua value cannot become JSON.
public struct JSONConversionError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

extension JSONValue {
    /// Converts a Lua value: a table with only a sequence becomes an array, any
    /// other table an object (integer keys as strings); an empty table is `{}`.
    public init(lua value: LuaValue) throws(JSONConversionError) {
        switch value {
        case .nil: self = .null
        case .boolean(let flag): self = .bool(flag)
        case .integer(let number): self = .int(number)
        case .number(let number):
            guard number.isFinite else { throw JSONConversionError(description: "cannot encode \(number) as JSON") }
            self = .double(number)
        case .string(let bytes): self = .string(String(decoding: bytes, as: UTF8.self))
        case .function: throw JSONConversionError(description: "cannot encode a function as JSON")
        case .table(let table):
            if table.fields.isEmpty && !table.array.isEmpty {
                var items: [JSONValue] = []
                items.reserveCapacity(table.array.count)
                for item in table.array { items.append(try JSONValue(lua: item)) }
                self = .array(items)
                return
            }
            var object: [String: JSONValue] = [:]
            for (offset, item) in table.array.enumerated() { object[String(offset + 1)] = try JSONValue(lua: item) }
            for (key, item) in table.fields {
                let name: String
                switch key {
                case .string(let bytes): name = String(decoding: bytes, as: UTF8.self)
                case .integer(let number): name = String(number)
                case .number(let number): name = String(number)
                case .boolean(let flag): name = String(flag)
                default: throw JSONConversionError(description: "cannot encode a \(key.typeName) key as JSON")
                }
                object[name] = try JSONValue(lua: item)
            }
            self = .object(object)
        }
    }
}
