internal import CLua

/// A Swift function callable from Lua that reads its arguments off the stack one at a time and pushes
/// its results as it makes them.
///
/// For the calls plugins make on every message (cached `redis` reads), where copying every argument and
/// every result through arrays of `LuaValue` cost more than the work itself. Throwing raises a Lua error
/// after the Swift frame has returned, as for ``LuaHostFunction``.
public typealias LuaDirectHostFunction = (_ call: inout LuaHostCall) throws(LuaHostError) -> Void

/// One call of a ``LuaDirectHostFunction``: its arguments, and the results pushed so far.
///
/// It cannot be copied, so it cannot outlive the call: pushing after the function returned would push
/// onto whichever Lua stack is current then.
public struct LuaHostCall: ~Copyable {
    let state: LuaState
    /// How many arguments Lua passed.
    public let argumentCount: Int
    /// Bytes moved in and out so far, charged to the call's instruction budget as for other host calls.
    var bytesMoved = 0

    init(state: LuaState, argumentCount: Int) {
        self.state = state
        self.argumentCount = argumentCount
    }

    /// Argument `position` (from 1) copied into Swift; nil past the last one.
    public mutating func argument(_ position: Int) throws(LuaHostError) -> LuaValue {
        guard position >= 1, position <= argumentCount else { return .nil }
        switch state.value(at: Int32(position)) {
        case .success(let value):
            bytesMoved += value.approximateBytes
            return value
        case .failure(let error): throw LuaHostError(error.message)
        }
    }

    /// Makes room for results of about `bytes` bytes nested up to `depth` tables deep: throws when they
    /// would take the state past its memory cap (lifted while the host runs) or the stack cannot grow.
    public mutating func reserve(bytes: Int, depth: Int = 0) throws(LuaHostError) {
        bytesMoved += bytes
        if state.memoryCap > 0 && state.memoryInUse + bytes > state.memoryCap {
            throw LuaHostError("not enough memory: a host result of \(bytes) bytes does not fit under the memory cap")
        }
        guard state.ensureStack(Int32(clamping: 2 * depth + 2)) else { throw LuaHostError("too many results") }
    }

    /// Pushes a copy of a Swift value as a result (or a table item, before `setIndex`).
    public mutating func push(_ value: LuaValue) throws(LuaHostError) {
        try reserve(bytes: value.approximateBytes, depth: 1)
        state.push(value)
    }

    /// The pushes below make no checks: `reserve` first for what they add up to.
    public func push(bytes: [UInt8]) { state.push(bytes: bytes) }
    public func push(_ text: String) { state.push(text) }
    public func push(_ number: Int64) { state.push(number) }
    public func push(_ flag: Bool) { state.push(flag) }
    public func pushNil() { state.pushNil() }
    public func pushTable(arrayCount: Int = 0, fieldCount: Int = 0) {
        state.pushTable(arrayCount: arrayCount, fieldCount: fieldCount)
    }
    /// Pops a value into the table below it at `index`.
    public func setIndex(_ index: Int64) { state.setIndex(index) }
    /// Pops a value into the table below it under `key`.
    public func setField(_ key: String) { state.setField(key) }
}
