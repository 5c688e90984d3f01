internal import CLuaShim

/// A number Swift code sets from any thread and Lua code reads without a host call: a state keeps
/// something Swift owns (copies of cached replies) and checks this before every use, at the cost of a C
/// call rather than the microsecond of a host call.
public final class LuaSharedCounter: @unchecked Sendable {
    // Unchecked: the storage is only ever read and written atomically, by the C functions.
    fileprivate let storage: UnsafeMutablePointer<UInt64>

    public init(_ value: UInt64 = 0) {
        storage = .allocate(capacity: 1)
        storage.initialize(to: value)
    }

    deinit { storage.deallocate() }

    public func store(_ value: UInt64) { CLuaShim_storeCounter(storage, value) }
}

extension LuaState {
    /// A ref to a Lua function of no arguments returning the counter's value (an integer; past 2⁶³ it
    /// wraps to negative, which still differs from every earlier value). The state keeps the counter alive.
    public func readerRef(of counter: LuaSharedCounter) -> LuaRef {
        sharedCounters.append(counter)
        CLuaShim_pushCounterReader(L, counter.storage)
        return popRef()
    }
}
