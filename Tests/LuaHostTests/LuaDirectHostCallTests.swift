import LuaHost
import Testing

@Suite struct LuaDirectHostCallTests {
    let lua: LuaState
    let env: LuaRef

    init() throws {
        lua = try LuaState(memoryCap: 4 << 20, instructionBudget: 1_000_000)
        env = try LuaSandbox(state: lua).makeEnvironment(api: nil)
    }

    func call(_ function: LuaRef, _ source: String) throws -> [LuaValue] {
        let chunk = try lua.load("local f = ...; " + source, chunkName: "=test", environment: env)
        defer { lua.release(chunk) }
        return try lua.call(chunk, [.function(function)])
    }

    @Test func argumentsAreReadOneByOneAndResultsAreWhatWasPushed() throws {
        let function = lua.directHostFunctionRef { call throws(LuaHostError) in
            let first = try call.argument(1)
            let missing = try call.argument(call.argumentCount + 1)
            call.push(Int64(call.argumentCount))
            try call.push(first)
            try call.push(missing)
            try call.reserve(bytes: 64, depth: 1)
            call.pushTable(arrayCount: 2)
            call.push(bytes: Array("x\0y".utf8))
            call.setIndex(1)
            call.push(false)
            call.setIndex(2)
        }
        let results = try call(
            function,
            "local n, a, none, t = f({ 'k', v = 1 }, nil, 3); return n, a[1], a.v, none, t[1], t[2]"
        )
        #expect(results == [3, "k", 1, .nil, .string(Array("x\0y".utf8)), false])
        // Nothing pushed: no results, whatever the arguments were.
        let silent = lua.directHostFunctionRef { _ throws(LuaHostError) in }
        #expect(try call(silent, "return select('#', f(1, 2, 3))") == [0])
    }

    @Test func anErrorIsRaisedInLuaAfterTheSwiftFrameReturned() throws {
        let function = lua.directHostFunctionRef { call throws(LuaHostError) in
            call.push(Int64(1))  // pushed before the failure: dropped with it
            throw LuaHostError("host says no")
        }
        #expect(try call(function, "return pcall(f)") == [false, "host says no"])
        #expect(try call(function, "return 40 + 2") == [42])
    }

    @Test func aResultPastTheMemoryCapIsRefusedBeforeItIsPushed() throws {
        let function = lua.directHostFunctionRef { call throws(LuaHostError) in
            try call.push(.string([UInt8](repeating: 0x61, count: 8 << 20)))
        }
        let results = try call(function, "local ok, err = pcall(f); return ok, err")
        #expect(results.first == false)
        #expect(results.last?.stringValue?.contains("memory cap") == true)
        #expect(lua.memoryInUse < 1 << 20)
    }

    @Test func bytesMovedCountAgainstTheInstructionBudget() throws {
        // 1 MiB in and out per call: a loop of such calls runs out of budget long before a loop of additions would.
        lua.memoryCap = 0  // the budget alone stops it
        let echo = lua.directHostFunctionRef { call throws(LuaHostError) in try call.push(try call.argument(1)) }
        let error = #expect(throws: LuaError.self) {
            try call(echo, "local s = string.rep('a', 1 << 20); for _ = 1, 1000 do f(s) end")
        }
        #expect(error?.kind == .budget)
    }
}
