internal import CLua
internal import CLuaShim

/// A Swift function callable from Lua.
///
/// It gets the call's arguments copied into Swift and returns the results.
/// Throwing `LuaHostError` raises a Lua error in the caller — after this Swift
/// frame has returned, never through it. Functions among the arguments are
/// refs released when the call returns, unless kept with `LuaState.retain(_:)`.
public typealias LuaHostFunction = (_ state: LuaState, _ arguments: [LuaValue]) throws(LuaHostError) -> [LuaValue]

/// The error a host function raises in Lua, as a plain message.
public struct LuaHostError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension LuaState {
    /// Pushes a Lua function that calls a Swift function.
    public func push(_ function: @escaping LuaHostFunction) {
        hostFunctions.append(function)
        lua_pushinteger(L, lua_Integer(hostFunctions.count - 1))
        CLuaShim_pushHostFunction(L, luaHostEntry, 1)
    }

    /// A ref to a Lua function that calls a Swift function.
    public func hostFunctionRef(_ function: @escaping LuaHostFunction) -> LuaRef {
        push(function)
        return popRef()
    }

    /// Runs a host function for a call on thread `thread`; see `luaHostEntry`.
    fileprivate func runHostFunction(on thread: OpaquePointer) -> Int32 {
        let outer = L
        let outerRefs = argumentRefs
        L = thread
        argumentRefs = []
        defer {
            for ref in argumentRefs ?? [] { release(ref) }
            argumentRefs = outerRefs
            L = outer
        }
        let index = Int(CLua_tointeger(thread, CLua_upvalueIndex(2)))
        let count = lua_gettop(thread)
        var arguments: [LuaValue] = []
        arguments.reserveCapacity(Int(count))
        if count > 0 {
            for position in 1...count {
                switch value(at: position) {
                case .success(let value): arguments.append(value)
                case .failure(let error):
                    push(error.message)
                    return CLUASHIM_RAISE
                }
            }
        }
        do {
            let results = try hostFunctions[index](self, arguments)
            let resultBytes = results.reduce(0) { $0 + $1.approximateBytes }
            chargeHostCall(bytes: arguments.reduce(resultBytes) { $0 + $1.approximateBytes })
            // The cap is lifted while the host runs, so a result could otherwise take the state far past it
            // (json.encode turns each control byte into six).
            if memoryCap > 0 && memoryInUse + resultBytes > memoryCap {
                push("not enough memory: a host result of \(resultBytes) bytes does not fit under the memory cap")
                return CLUASHIM_RAISE
            }
            guard ensureStack(Int32(results.count) + 2) else {
                push("too many results")
                return CLUASHIM_RAISE
            }
            for result in results { push(result) }
            return Int32(results.count)
        } catch {
            push(error.message)
            return CLUASHIM_RAISE
        }
    }
}

extension LuaState {
    /// What one host call costs in instructions, whatever it does: a loop of Redis round trips must run
    /// out of budget as a loop of additions does, not run for minutes.
    public static let hostCallCost: Int64 = 256
    /// Bytes a host call may move (arguments in, results out) per instruction it is charged.
    public static let hostBytesPerInstruction = 16

    /// Takes a host call's cost from the running call's budget; the count hook stops the plugin once it is spent.
    fileprivate func chargeHostCall(bytes: Int) {
        CLuaShim_limits(L).pointee.instructions_left -= Self.hostCallCost + Int64(bytes / Self.hostBytesPerInstruction)
    }
}

extension LuaValue {
    /// Roughly the bytes a value takes: a string its length, anything else 16, tables the sum of their entries.
    var approximateBytes: Int {
        switch self {
        case .string(let bytes): return 16 + bytes.count
        case .table(let table):
            let items = table.array.reduce(16) { $0 + $1.approximateBytes }
            return table.fields.reduce(items) { $0 + $1.key.approximateBytes + $1.value.approximateBytes }
        default: return 16
        }
    }
}

/// The one C-callable entry for every host function: finds the owning
/// `LuaState` in the state's extra space and the function by its upvalue.
private func luaHostEntry(_ thread: OpaquePointer?) -> Int32 {
    guard let thread, let raw = CLua_extraspace(thread).pointee else { return 0 }
    let state = Unmanaged<LuaState>.fromOpaque(raw).takeUnretainedValue()
    return state.runHostFunction(on: thread)
}
