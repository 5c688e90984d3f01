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

/// The one C-callable entry for every host function: finds the owning
/// `LuaState` in the state's extra space and the function by its upvalue.
private func luaHostEntry(_ thread: OpaquePointer?) -> Int32 {
    guard let thread, let raw = CLua_extraspace(thread).pointee else { return 0 }
    let state = Unmanaged<LuaState>.fromOpaque(raw).takeUnretainedValue()
    return state.runHostFunction(on: thread)
}
