internal import CLua
internal import CLuaShim
import Synchronization

/// One Lua 5.4 state with a memory cap and an instruction budget per call.
///
/// Not thread-safe: one owner (a worker's thread) touches it, and it never
/// leaves that owner. Every call into Lua is protected; Lua errors come back
/// as `LuaError` and never unwind through Swift.
///
/// ```swift
/// let lua = try LuaState(memoryCap: 32 << 20)
/// let chunk = try lua.load("return 1 + 1", chunkName: "=example")
/// let results = try lua.call(chunk)  // [.integer(2)]
/// ```
public final class LuaState {
    /// The main thread, owned by this object.
    let main: OpaquePointer
    /// The thread the current host function was called on (a coroutine, maybe).
    var L: OpaquePointer
    private let limits: UnsafeMutablePointer<CLuaShim_Limits>
    let id: UInt64
    var hostFunctions: [LuaHostFunction] = []
    /// Counters Lua reads through a pointer: kept alive as long as the state.
    var sharedCounters: [LuaSharedCounter] = []
    /// Refs made for a running host function's arguments, released when it returns
    /// (nil outside host functions: then the caller owns every ref it reads).
    var argumentRefs: [LuaRef]?
    private var closed = false

    /// Instructions one protected call may run before it is stopped.
    public var instructionBudget: Int64

    private static let nextID = Atomic<UInt64>(1)

    /// Creates a state with no libraries opened.
    /// - Parameters:
    ///   - memoryCap: bytes the state may hold while Lua code runs (0: no cap).
    ///   - instructionBudget: instructions each protected call may run.
    public init(memoryCap: Int = 64 << 20, instructionBudget: Int64 = 20_000_000) throws(LuaError) {
        limits = .allocate(capacity: 1)
        limits.initialize(to: CLuaShim_Limits())
        limits.pointee.byte_cap = memoryCap
        guard let state = CLuaShim_newState(limits) else {
            limits.deallocate()
            throw LuaError(kind: .memory, message: "cannot create a Lua state: out of memory")
        }
        main = state
        L = state
        id = Self.nextID.add(1, ordering: .relaxed).oldValue
        self.instructionBudget = instructionBudget
        CLua_extraspace(state).pointee = Unmanaged.passUnretained(self).toOpaque()
        // Nearly everything a worker allocates (the `msg` table, strings, replies) dies with its update:
        // generational collection suits that, and in `warden bench` cut p99 latency by a third.
        _ = CLua_gcGenerational(state)
    }

    /// Closes the state; every ref it made becomes invalid.
    public func close() {
        guard !closed else { return }
        closed = true
        CLuaShim_closeState(main)
        limits.deallocate()
    }

    deinit { close() }

    /// Bytes the state holds now.
    public var memoryInUse: Int { limits.pointee.bytes_in_use }

    /// The most bytes the state ever held.
    public var peakMemory: Int { limits.pointee.peak_bytes }

    /// Bytes allocated since the state was made, frees not subtracted: the difference over some work
    /// is the garbage it made (what the collector will have to free).
    public var bytesAllocated: UInt64 { limits.pointee.bytes_allocated }

    /// Bytes the state may hold while Lua code runs (0: no cap).
    public var memoryCap: Int {
        get { limits.pointee.byte_cap }
        set { limits.pointee.byte_cap = newValue }
    }

    /// Runs a full garbage collection (after a plugin hit its limits, say).
    public func collectGarbage() {
        _ = CLua_gcCollect(main)
    }

    /// Runs a minor collection now: it frees what died young since the last one, and puts the next one
    /// the collector would start on its own further away. Its time follows what was allocated since.
    /// It never goes major (it sets the collector's debt to zero, which Lua's generational step reads as
    /// no debt): a caller that runs it often also decides when to run ``collectGarbage()``, or what died
    /// old is never freed.
    public func collectYoung() {
        _ = CLua_gcStep(main)
    }

    // MARK: Loading and calling

    /// Compiles a text chunk (binary chunks are refused) into a function.
    /// - Parameters:
    ///   - source: the Lua source bytes.
    ///   - chunkName: `@plugins/name.lua` for files, `=name` for other text.
    ///   - environment: a table to use as the chunk's `_ENV`; the global table when nil.
    public func load(_ source: [UInt8], chunkName: String, environment: LuaRef? = nil) throws(LuaError) -> LuaRef {
        let status = source.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                CLuaShim_loadText(L, $0.baseAddress, $0.count, chunkName)
            }
        }
        guard status == LUA_OK else { throw popError(status: status) }
        if let environment {
            pushRef(environment)
            // A main chunk's first upvalue is its _ENV.
            if lua_setupvalue(L, -2, 1) == nil { CLua_pop(L, 1) }
        }
        return popRef()
    }

    /// Compiles text; see `load(_:chunkName:environment:)`.
    public func load(_ source: String, chunkName: String, environment: LuaRef? = nil) throws(LuaError) -> LuaRef {
        try load(Array(source.utf8), chunkName: chunkName, environment: environment)
    }

    /// Calls a function with arguments, protected and within the budget.
    public func call(
        _ function: LuaRef,
        _ arguments: [LuaValue] = [],
        budget: Int64? = nil
    ) throws(LuaError)
        -> [LuaValue]
    {
        try call(function, budget: budget) { state in
            for argument in arguments { state.push(argument) }
            return Int32(arguments.count)
        }
    }

    /// Calls a function whose arguments `pushArguments` pushes itself (returning their count).
    public func call(
        _ function: LuaRef,
        budget: Int64? = nil,
        pushArguments: (LuaState) -> Int32
    ) throws(LuaError) -> [LuaValue] {
        let base = try protectedCall(function, budget: budget, pushArguments: pushArguments)
        let top = lua_gettop(L)
        defer { lua_settop(L, base) }
        guard top > base else { return [] }
        var results: [LuaValue] = []
        results.reserveCapacity(Int(top - base))
        for index in (base + 1)...top {
            switch value(at: index) {
            case .success(let value): results.append(value)
            case .failure(let error): throw error
            }
        }
        return results
    }

    /// Calls a function and keeps its first result itself (not a copy) in the registry.
    public func callReturningRef(
        _ function: LuaRef,
        budget: Int64? = nil,
        pushArguments: (LuaState) -> Int32 = { _ in 0 }
    ) throws(LuaError) -> LuaRef {
        let base = try protectedCall(function, budget: budget, pushArguments: pushArguments)
        lua_settop(L, base + 1)
        return popRef()
    }

    /// Runs `function` protected; on success its results are above the returned stack base.
    private func protectedCall(
        _ function: LuaRef,
        budget: Int64?,
        pushArguments: (LuaState) -> Int32
    ) throws(LuaError) -> Int32 {
        let base = lua_gettop(L)
        pushRef(function)
        let count = pushArguments(self)
        let status = CLuaShim_pcall(L, count, LUA_MULTRET, budget ?? instructionBudget)
        guard status == LUA_OK else { throw popError(status: status) }
        return base
    }

    /// Turns the error value on top of the stack into a `LuaError` and pops it.
    private func popError(status: Int32) -> LuaError {
        defer { CLua_pop(L, 1) }
        let text: String
        if lua_type(L, -1) == LUA_TSTRING {
            text = bytes(at: -1).map { String(decoding: $0, as: UTF8.self) } ?? "?"
        } else {
            text = "(error object is a \(String(cString: lua_typename(L, lua_type(L, -1)))) value)"
        }
        let exhausted = CLuaShim_limits(L).pointee.budget_exhausted != 0
        let kind: LuaError.Kind
        switch status {
        case LUA_ERRSYNTAX: kind = .syntax
        case LUA_ERRMEM: kind = .memory
        case LUA_ERRERR: kind = exhausted ? .budget : .handler
        default: kind = exhausted ? .budget : .runtime
        }
        if let range = text.firstRange(of: "\nstack traceback:") {
            return LuaError(
                kind: kind,
                message: String(text[..<range.lowerBound]),
                traceback: String(text[range.lowerBound...].dropFirst())
            )
        }
        return LuaError(kind: kind, message: kind == .memory ? "not enough memory (cap reached)" : text)
    }

    // MARK: References

    /// Pops the top value into the registry.
    func popRef() -> LuaRef {
        LuaRef(slot: luaL_ref(L, CLua_registryIndex()), stateID: id)
    }

    /// Pops the value on top of the stack (pushed with `push`) into a ref the caller owns.
    public func popToRef() -> LuaRef { popRef() }

    /// Whether a referenced value is neither nil nor false.
    public func isTruthy(_ ref: LuaRef) -> Bool {
        pushRef(ref)
        defer { CLua_pop(L, 1) }
        return lua_toboolean(L, -1) != 0
    }

    /// Pushes a referenced value (nil for a ref of another state).
    public func pushRef(_ ref: LuaRef) {
        guard ref.stateID == id else { return lua_pushnil(L) }
        _ = lua_rawgeti(L, CLua_registryIndex(), lua_Integer(ref.slot))
    }

    /// Lets the registry drop a referenced value.
    public func release(_ ref: LuaRef) {
        guard ref.stateID == id, !closed else { return }
        luaL_unref(main, CLua_registryIndex(), ref.slot)
    }

    /// Keeps a function received by a host function beyond that call.
    public func retain(_ ref: LuaRef) {
        argumentRefs?.removeAll { $0 == ref }
    }

    /// A new empty table, referenced.
    public func newTableRef() -> LuaRef {
        CLua_newtable(L)
        return popRef()
    }
}
