/// A value kept alive in a state's registry (a function for a callback, a
/// plugin's table, an environment). It is only meaningful to the state that
/// made it, and lives until `LuaState.release(_:)`.
public struct LuaRef: Sendable, Hashable, CustomStringConvertible {
    let slot: Int32
    let stateID: UInt64

    public var description: String { "LuaRef(\(slot))" }
}
