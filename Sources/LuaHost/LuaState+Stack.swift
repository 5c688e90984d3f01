internal import CLua
internal import CLuaShim

/// Pushing Swift values and reading Lua values. None of these raise: they are
/// called from Swift frames, with the memory cap lifted.
extension LuaState {
    /// How deep nested tables may go when copied out of Lua (cycles end here too).
    static let maximumDepth = 64

    public func pushNil() { lua_pushnil(L) }
    public func push(_ value: Bool) { lua_pushboolean(L, value ? 1 : 0) }
    public func push(_ value: Int64) { lua_pushinteger(L, lua_Integer(value)) }
    public func push(_ value: Double) { lua_pushnumber(L, value) }

    /// Pushes bytes as a Lua string (NUL bytes included).
    public func push<Bytes: Collection<UInt8>>(bytes: Bytes) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            buffer.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(L, $0.baseAddress, $0.count) }
        }
        if done == nil {
            let copy = Array(bytes)
            copy.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(L, $0.baseAddress, $0.count) }
            }
        }
    }

    public func push(_ text: String) {
        var text = text
        text.withUTF8 { push(bytes: $0) }
    }

    /// Pushes a new table with room for `arrayCount` sequence items and `fieldCount` other keys.
    public func pushTable(arrayCount: Int = 0, fieldCount: Int = 0) {
        lua_createtable(L, Int32(clamping: arrayCount), Int32(clamping: fieldCount))
    }

    /// Pops a value and stores it in the table just below it under a string key.
    public func setField(_ key: String) {
        push(key)
        lua_rotate(L, -2, 1)
        lua_rawset(L, -3)
    }

    /// Pops a value and the key below it and stores them in the table below both: for loops that can push
    /// the key first, which spares `setField(_:)`'s stack rotation (hot when a message becomes a table).
    public func setKeyAndValue() {
        lua_rawset(L, -3)
    }

    /// Gives the value on top of the stack the referenced metatable (a table, or the ref is ignored).
    public func setMetatable(_ metatable: LuaRef) {
        pushRef(metatable)
        guard lua_type(L, -1) == LUA_TTABLE else { return CLua_pop(L, 1) }
        lua_setmetatable(L, -2)
    }

    /// Pops a value and stores it in the table just below it at an integer index.
    public func setIndex(_ index: Int64) {
        lua_rawseti(L, -2, lua_Integer(index))
    }

    /// Pops `count` values.
    public func pop(_ count: Int32 = 1) { CLua_pop(L, count) }

    /// Makes room for `count` more slots; false when the stack cannot grow.
    public func ensureStack(_ count: Int32) -> Bool { lua_checkstack(L, count) != 0 }

    /// Pushes a copy of a Swift value.
    public func push(_ value: LuaValue) {
        switch value {
        case .nil: lua_pushnil(L)
        case .boolean(let flag): push(flag)
        case .integer(let number): push(number)
        case .number(let number): push(number)
        case .string(let bytes): push(bytes: bytes)
        case .function(let ref): pushRef(ref)
        case .table(let table):
            guard ensureStack(3) else { return lua_pushnil(L) }
            pushTable(arrayCount: table.array.count, fieldCount: table.fields.count)
            for (offset, item) in table.array.enumerated() {
                push(item)
                setIndex(Int64(offset + 1))
            }
            for field in table.fields where !field.key.isNil {
                push(field.key)
                push(field.value)
                lua_rawset(L, -3)
            }
        }
    }

    /// The bytes of the string at `index`, or nil when it is not a string.
    func bytes(at index: Int32) -> [UInt8]? {
        guard lua_type(L, index) == LUA_TSTRING else { return nil }
        var length = 0
        guard let pointer = lua_tolstring(L, index, &length) else { return nil }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }

    /// Copies the value at a stack index into Swift. Functions become refs the caller owns.
    public func value(at index: Int32) -> Result<LuaValue, LuaError> {
        let absolute = lua_absindex(L, index)
        do {
            return .success(try read(absolute, depth: 0))
        } catch {
            return .failure(error)
        }
    }

    private func read(_ index: Int32, depth: Int) throws(LuaError) -> LuaValue {
        switch lua_type(L, index) {
        case LUA_TNIL, LUA_TNONE: return .nil
        case LUA_TBOOLEAN: return .boolean(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(L, index) != 0 { return .integer(Int64(CLua_tointeger(L, index))) }
            return .number(CLua_tonumber(L, index))
        case LUA_TSTRING: return .string(bytes(at: index) ?? [])
        case LUA_TFUNCTION:
            lua_pushvalue(L, index)
            let ref = popRef()
            argumentRefs?.append(ref)
            return .function(ref)
        case LUA_TTABLE: return .table(try readTable(index, depth: depth + 1))
        default:
            let name = String(cString: lua_typename(L, lua_type(L, index)))
            throw LuaError(kind: .conversion, message: "cannot pass a \(name) value to the host")
        }
    }

    private func readTable(_ index: Int32, depth: Int) throws(LuaError) -> LuaTable {
        guard depth <= Self.maximumDepth, ensureStack(4) else {
            throw LuaError(kind: .conversion, message: "table nesting too deep (or cyclic) for the host")
        }
        var table = LuaTable()
        let length = Int64(lua_rawlen(L, index))
        table.array.reserveCapacity(Int(length))
        if length > 0 {
            for position in 1...length {
                _ = lua_rawgeti(L, index, lua_Integer(position))
                defer { CLua_pop(L, 1) }
                table.array.append(try read(lua_gettop(L), depth: depth))
            }
        }
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            defer { CLua_pop(L, 1) }
            let keyIndex = lua_gettop(L) - 1
            if lua_isinteger(L, keyIndex) != 0 {
                let key = Int64(CLua_tointeger(L, keyIndex))
                if key >= 1 && key <= length { continue }
            }
            let key = try read(keyIndex, depth: depth)
            let value = try read(lua_gettop(L), depth: depth)
            table.fields.append((key: key, value: value))
        }
        return table
    }

    /// Reads one field of a referenced table (raw access: no metamethods run).
    public func field(_ key: String, of table: LuaRef) -> Result<LuaValue, LuaError> {
        pushRef(table)
        defer { CLua_pop(L, 2) }
        guard lua_type(L, -1) == LUA_TTABLE else {
            lua_pushnil(L)
            return .success(.nil)
        }
        push(key)
        lua_rawget(L, -2)
        return value(at: -1)
    }

    /// A ref to one field of a referenced table (the value itself, not a copy); nil when absent.
    public func fieldRef(_ key: String, of table: LuaRef) -> LuaRef? {
        pushRef(table)
        guard lua_type(L, -1) == LUA_TTABLE else {
            CLua_pop(L, 1)
            return nil
        }
        push(key)
        lua_rawget(L, -2)
        lua_rotate(L, -2, 1)
        CLua_pop(L, 1)
        guard lua_type(L, -1) != LUA_TNIL else {
            CLua_pop(L, 1)
            return nil
        }
        return popRef()
    }

    /// The keys of a referenced table as text (non-string keys as Lua would print them).
    public func fieldNames(of table: LuaRef) -> [String] {
        pushRef(table)
        defer { CLua_pop(L, 1) }
        guard lua_type(L, -1) == LUA_TTABLE else { return [] }
        var names: [String] = []
        lua_pushnil(L)
        while lua_next(L, -2) != 0 {
            CLua_pop(L, 1)
            switch lua_type(L, -1) {
            case LUA_TSTRING: names.append(bytes(at: -1).map { String(decoding: $0, as: UTF8.self) } ?? "")
            case LUA_TNUMBER:
                names.append(lua_isinteger(L, -1) != 0 ? String(CLua_tointeger(L, -1)) : String(CLua_tonumber(L, -1)))
            default: names.append("<\(String(cString: lua_typename(L, lua_type(L, -1))))>")
            }
        }
        return names
    }

    /// Stores a value in a referenced table (raw access).
    public func setField(_ key: String, of table: LuaRef, to value: LuaValue) {
        pushRef(table)
        guard lua_type(L, -1) == LUA_TTABLE else { return CLua_pop(L, 1) }
        push(value)
        setField(key)
        CLua_pop(L, 1)
    }

    /// Copies a referenced value into Swift.
    public func value(of ref: LuaRef) -> Result<LuaValue, LuaError> {
        pushRef(ref)
        defer { CLua_pop(L, 1) }
        return value(at: -1)
    }

    /// The Lua type name of a referenced value.
    public func typeName(of ref: LuaRef) -> String {
        pushRef(ref)
        defer { CLua_pop(L, 1) }
        return String(cString: lua_typename(L, lua_type(L, -1)))
    }

    /// Whether a referenced value is a table: `typeName(of:) == "table"` without making a string, for the
    /// checks made on every message.
    public func isTable(_ ref: LuaRef) -> Bool {
        pushRef(ref)
        defer { CLua_pop(L, 1) }
        return lua_type(L, -1) == LUA_TTABLE
    }
}
