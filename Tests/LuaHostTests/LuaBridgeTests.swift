import LuaHost
import Testing

@Suite struct LuaBridgeTests {
    let lua: LuaState
    let env: LuaRef

    init() throws {
        lua = try LuaState()
        env = try LuaSandbox(state: lua).makeEnvironment(api: nil)
    }

    func evaluate(_ source: String, _ arguments: [LuaValue] = []) throws -> [LuaValue] {
        let chunk = try lua.load(source, chunkName: "=test", environment: env)
        defer { lua.release(chunk) }
        return try lua.call(chunk, arguments)
    }

    @Test func aSharedCounterReadsWhatSwiftStoredLast() throws {
        let counter = LuaSharedCounter(5)
        let reader = lua.readerRef(of: counter)
        #expect(try lua.call(reader) == [.integer(5)])
        counter.store(7)
        #expect(try lua.call(reader) == [.integer(7)])
        counter.store(UInt64.max)  // wraps to a Lua integer, still unlike every earlier value
        #expect(try lua.call(reader) == [.integer(-1)])
    }

    @Test func integersAbove2To53SurviveBothWays() throws {
        let big: Int64 = 9_007_199_254_740_993  // 2^53 + 1: not representable as a Double
        let results = try evaluate("local n = ...; return n, n + 1, math.type(n)", [.integer(big)])
        #expect(results == [.integer(big), .integer(big + 1), .string("integer")])
        #expect(try evaluate("return ...", [.integer(.min), .integer(.max)]) == [.integer(.min), .integer(.max)])
    }

    @Test func stringsAreBytesAndKeepNUL() throws {
        let bytes: [UInt8] = [0x61, 0x00, 0x62, 0xFF, 0x00]
        let results = try evaluate("local s = ...; return s, #s", [.string(bytes)])
        #expect(results == [.string(bytes), .integer(5)])
    }

    @Test func scalarsRoundTrip() throws {
        let values: [LuaValue] = [.nil, true, false, 1.5, -0.25, "text", .integer(0)]
        let results = try evaluate("return ...", values)
        #expect(results == values)
    }

    @Test func tablesSplitIntoArrayAndFields() throws {
        let results = try evaluate("return { 10, 20, 30, name = 'x', [100] = true, nested = { a = { b = 1 } } }")
        let table = try #require(results.first?.tableValue)
        #expect(table.array == [10, 20, 30])
        #expect(table["name"] == "x")
        #expect(table.fields.contains { $0.key == .integer(100) && $0.value == true })
        #expect(table["nested"].tableValue?["a"].tableValue?["b"] == 1)
    }

    @Test func swiftTablesArriveAsLuaTables() throws {
        var table = LuaTable(["id": .integer(-1_001_234_567_890), "title": "Group"])
        table.array = ["a", "b"]
        let results = try evaluate("local t = ...; return t.id, t.title, #t, t[2]", [.table(table)])
        #expect(results == [.integer(-1_001_234_567_890), "Group", 2, "b"])
    }

    @Test func cyclicTablesAreRefusedNotLooped() throws {
        #expect(throws: LuaError.self) { try evaluate("local t = {}; t.self = t; return t") }
        // The state still works afterwards.
        #expect(try evaluate("return 1") == [1])
    }

    @Test func luaFunctionsComeBackAsCallableRefs() throws {
        let results = try evaluate("return function(a, b) return a * b end")
        guard case .function(let ref) = results.first else {
            Issue.record("expected a function")
            return
        }
        #expect(try lua.call(ref, [6, 7]) == [42])
        lua.release(ref)
    }

    @Test func refsTellTheirTypeWithoutCopying() throws {
        let values = [LuaValue.table(LuaTable(array: [1])), .string("table"), .integer(1), .nil]
        for value in values {
            lua.push(value)
            let ref = lua.popToRef()
            #expect(lua.isTable(ref) == (lua.typeName(of: ref) == "table"))
            lua.release(ref)
        }
        lua.push(values[0])
        let table = lua.popToRef()
        #expect(lua.isTable(table) && lua.typeName(of: table) == "table")
        lua.release(table)
    }

    @Test func hostFunctionsReceiveArgumentsAndReturnResults() throws {
        let function = lua.hostFunctionRef { _, arguments throws(LuaHostError) in
            [.integer(Int64(arguments.count)), arguments.first ?? .nil]
        }
        let chunk = try lua.load("local f = ...; return f('a', nil, 3)", chunkName: "=test")
        let results = try lua.call(chunk, [.function(function)])
        #expect(results == [3, "a"])
    }

    @Test func hostFunctionErrorsAreLuaErrorsThatPcallCatches() throws {
        let function = lua.hostFunctionRef { _, _ throws(LuaHostError) in throw LuaHostError("host says no") }
        let chunk = try lua.load(
            "local f = ...; local ok, err = pcall(f); return ok, err",
            chunkName: "=test",
            environment: env
        )
        #expect(try lua.call(chunk, [.function(function)]) == [false, "host says no"])
        let unprotected = try lua.load("local f = ...; f()", chunkName: "@plugins/x.lua")
        let error = #expect(throws: LuaError.self) { try lua.call(unprotected, [.function(function)]) }
        #expect(error?.message == "host says no")
        #expect(error?.kind == .runtime)
    }

    @Test func runtimeErrorsCarryChunkLineAndTraceback() throws {
        let chunk = try lua.load("local x = nil\nreturn x.field", chunkName: "@plugins/broken.lua")
        let error = #expect(throws: LuaError.self) { try lua.call(chunk) }
        #expect(error?.message.hasPrefix("plugins/broken.lua:2:") == true)
        #expect(error?.traceback?.contains("stack traceback") == true)
    }

    @Test func syntaxErrorsNameTheLine() throws {
        let error = #expect(throws: LuaError.self) { try lua.load("x = = 1", chunkName: "@plugins/bad.lua") }
        #expect(error?.kind == .syntax)
        #expect(error?.message.contains("plugins/bad.lua:1:") == true)
    }
}
