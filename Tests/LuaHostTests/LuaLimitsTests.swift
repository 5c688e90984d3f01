import LuaHost
import Testing

@Suite struct LuaLimitsTests {
    let lua: LuaState
    let sandbox: LuaSandbox

    init() throws {
        lua = try LuaState(memoryCap: 8 << 20, instructionBudget: 2_000_000)
        sandbox = try LuaSandbox(state: lua)
    }

    func run(_ source: String) throws -> [LuaValue] {
        let env = try sandbox.makeEnvironment(api: nil)
        defer { lua.release(env) }
        let chunk = try lua.load(source, chunkName: "@plugins/test.lua", environment: env)
        defer { lua.release(chunk) }
        return try lua.call(chunk)
    }

    func expectStillWorks() throws {
        #expect(try run("return 40 + 2") == [42])
    }

    @Test func infiniteLoopIsStoppedByTheBudget() throws {
        let error = #expect(throws: LuaError.self) { try run("while true do end") }
        #expect(error?.kind == .budget)
        #expect(error?.message.contains("instruction budget exceeded") == true)
        try expectStillWorks()
    }

    @Test func pcallInsideThePluginCannotSwallowTheBudget() throws {
        let error = #expect(throws: LuaError.self) {
            try run("while true do pcall(function() while true do end end) end")
        }
        #expect(error?.kind == .budget)
        try expectStillWorks()
    }

    @Test func loopsInsideCoroutinesAreStoppedToo() throws {
        let error = #expect(throws: LuaError.self) {
            try run("local co = coroutine.wrap(function() while true do end end) co()")
        }
        #expect(error?.kind == .budget)
        #expect(throws: LuaError.self) {
            try run("while true do coroutine.resume(coroutine.create(function() while true do end end)) end")
        }
        try expectStillWorks()
    }

    @Test func tableBombHitsTheMemoryCap() throws {
        let error = #expect(throws: LuaError.self) {
            try run("local t = {} for i = 1, 1e9 do t[i] = {i} end")
        }
        #expect(error?.kind == .memory)
        lua.collectGarbage()
        #expect(lua.memoryInUse < 8 << 20)
        try expectStillWorks()
    }

    @Test func stringRepBombIsRefused() throws {
        #expect(throws: LuaError.self) { try run("return string.rep('x', 1 << 40)") }
        #expect(throws: LuaError.self) { try run("local s = 'x' while true do s = s .. s end") }
        try expectStillWorks()
    }

    @Test func bytesAllocatedCountsGarbageThatMemoryInUseDoesNot() throws {
        lua.collectGarbage()
        let (inUse, allocated) = (lua.memoryInUse, lua.bytesAllocated)
        _ = try run("for i = 1, 10000 do local t = {i, i, i} end")
        lua.collectGarbage()
        // 10,000 tables of three slots are over 500 KB made, all of it freed again.
        #expect(lua.bytesAllocated - allocated > 500_000)
        #expect(lua.memoryInUse < inUse + 100_000)
    }

    /// The allocator keeps small blocks in free lists by size: a block sized or reused wrongly would
    /// overlap its neighbours, and what Lua keeps in them would change.
    @Test func blocksOfEverySizeKeepWhatIsWrittenInThem() throws {
        let source = """
            local strings, tables = {}, {}
            for round = 1, 3 do
              for n = 1, 700 do
                strings[n] = string.rep(string.char(65 + (n + round) % 26), n)
                local t = {}
                for i = 1, n % 90 do t[i] = i * round; t["k" .. i] = n end
                tables[n] = t
              end
              -- Tables shrunk by a rehash, and strings dropped, hand their blocks back.
              for n = 1, 700, 2 do
                local t = tables[n]
                for i = 1, n % 90 do t["k" .. i] = nil end
                t.x = true
                strings[n] = nil
              end
            end
            for n = 2, 700, 2 do
              local s = strings[n]
              if #s ~= n or s ~= string.rep(string.char(65 + (n + 3) % 26), n) then return "string " .. n end
              local t = tables[n]
              for i = 1, n % 90 do
                if t[i] ~= i * 3 or t["k" .. i] ~= n then return "table " .. n end
              end
            end
            return "intact"
            """
        for _ in 0..<3 {
            #expect(try run(source) == ["intact"])
            lua.collectGarbage()
        }
    }

    @Test func budgetIsPerCallNotCumulative() throws {
        for _ in 0..<5 {
            #expect(try run("local n = 0 for i = 1, 100000 do n = n + i end return n") == [.integer(5_000_050_000)])
        }
    }
}
