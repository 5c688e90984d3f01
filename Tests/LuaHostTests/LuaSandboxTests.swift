import LuaHost
import Testing

@Suite struct LuaSandboxTests {
    let lua: LuaState
    let sandbox: LuaSandbox

    init() throws {
        lua = try LuaState(memoryCap: 16 << 20, instructionBudget: 1_000_000)
        sandbox = try LuaSandbox(state: lua)
    }

    func run(_ source: String, in env: LuaRef? = nil) throws -> [LuaValue] {
        let environment = try env ?? sandbox.makeEnvironment(api: nil)
        let chunk = try lua.load(source, chunkName: "@plugins/escape.lua", environment: environment)
        defer { lua.release(chunk) }
        return try lua.call(chunk)
    }

    @Test(arguments: [
        "return io", "return debug", "return package", "return dofile", "return loadfile", "return require",
        "return os.execute", "return os.exit", "return os.remove", "return os.rename", "return os.getenv",
        "return os.tmpname", "return string.dump", "return getmetatable('')",
    ])
    func dangerousNamesAreAbsent(source: String) throws {
        let result = try run(source).first ?? .nil
        #expect(!result.isTruthy, "\(source) gave \(result)")
    }

    @Test func safeLibrariesAreThere() throws {
        let results = try run(
            "return type(os.time()), type(os.date('%Y')), type(os.clock()), ('a,b'):upper(), math.max(1, 2), utf8.char(72)"
        )
        #expect(results == ["number", "string", "number", "A,B", 2, "H"])
    }

    @Test func binaryChunksAreRefused() throws {
        let binary = try run(#"return load("\27Lua\84\0", "x", "b")"#)
        #expect(binary == [.nil, "binary chunks are not allowed"])
        let disguised = try run(#"local f, err = load("\27Lua"); return f, err"#)
        #expect(disguised.first == .nil)
        #expect(disguised.last?.stringValue?.contains("binary chunk") == true)
    }

    @Test func loadedChunksStayInsideTheSandbox() throws {
        #expect(try run("return load('return io')()") == [.nil])
        #expect(try run("secret = 7; return load('return secret')()") == [7])
    }

    @Test func stringMetatableCannotBeReachedOrChanged() throws {
        #expect(throws: LuaError.self) { try run("return getmetatable('').__index") }
        #expect(throws: LuaError.self) { try run("getmetatable('').__index.upper = nil") }
        #expect(try run("return ('x'):upper()") == ["X"])
    }

    @Test func collectgarbageAbuseIsRefused() throws {
        #expect(throws: LuaError.self) { try run("collectgarbage('stop')") }
        #expect(throws: LuaError.self) { try run("collectgarbage('generational')") }
        #expect(try run("return type(collectgarbage('count'))") == ["number"])
    }

    @Test func globalsOfOnePluginStayInItsEnvironment() throws {
        let first = try sandbox.makeEnvironment(api: nil)
        let second = try sandbox.makeEnvironment(api: nil)
        _ = try run("function run() return 'first' end; string.shout = function() return '!' end", in: first)
        #expect(try run("return run, string.shout", in: second) == [.nil, .nil])
        #expect(try run("return run(), string.shout()", in: first) == ["first", "!"])
    }

    @Test func apiTablesAreCopiedPerEnvironment() throws {
        let api = lua.newTableRef()
        lua.setField("bot", of: api, to: .table(LuaTable(["name": "warden"])))
        let first = try sandbox.makeEnvironment(api: api)
        let second = try sandbox.makeEnvironment(api: api)
        _ = try run("bot.name = 'evil'", in: first)
        #expect(try run("return bot.name", in: second) == ["warden"])
    }
}
