internal import CLua
internal import CLuaShim

/// Builds locked-down environments for untrusted Lua code: Redis's allow-list
/// idea (`script_lua.c`) done with stock Lua 5.4.
///
/// Each environment gets fresh copies of the safe libraries and of the host API
/// tables, so what one plugin writes (globals, `string.x = …`) lands in its own
/// tables only. Never reachable: `io`, `debug`, `package`, `dofile`, `loadfile`,
/// `os.execute`/`exit`/`remove`/`getenv`, `string.dump`, binary chunks, `__gc`
/// finalizers (they run outside the instruction budget), and the real global table.
///
/// ```swift
/// let sandbox = try LuaSandbox(state: lua)
/// let env = try sandbox.makeEnvironment(api: ["answer": 42])
/// let chunk = try lua.load("return answer", chunkName: "=demo", environment: env)
/// ```
public struct LuaSandbox {
    private let state: LuaState
    /// The Lua function `make_env(api)` behind `makeEnvironment(api:)`, for Lua code that builds sandboxes too.
    public let factory: LuaRef
    /// The method table every string shares (`("x"):upper()`); the host may add methods
    /// (yagop's `trim`, `split`) before environments are made.
    public let stringMethods: LuaRef

    /// Opens the safe standard libraries and prepares the environment factory.
    public init(state: LuaState) throws(LuaError) {
        self.state = state
        let libraries: [(String, lua_CFunction)] = [
            ("_G", luaopen_base), ("string", luaopen_string), ("table", luaopen_table), ("math", luaopen_math),
            ("utf8", luaopen_utf8), ("coroutine", luaopen_coroutine), ("os", luaopen_os),
        ]
        for (name, open) in libraries {
            luaL_requiref(state.L, name, open, 1)
            state.pop()
        }
        let chunk = try state.load(Self.factorySource, chunkName: "=sandbox")
        defer { state.release(chunk) }
        let parts = try state.callReturningRef(chunk)
        defer { state.release(parts) }
        guard let factory = state.fieldRef("make_env", of: parts),
            let stringMethods = state.fieldRef("string_methods", of: parts)
        else {
            throw LuaError(kind: .runtime, message: "sandbox factory missing")
        }
        self.factory = factory
        self.stringMethods = stringMethods
    }

    /// A new environment table: safe libraries plus copies of `api`'s entries.
    /// - Parameter api: a table of host functions and values (tables are copied one level deep).
    public func makeEnvironment(api: LuaRef?) throws(LuaError) -> LuaRef {
        try state.callReturningRef(factory, budget: 1_000_000) { state in
            if let api { state.pushRef(api) } else { state.pushNil() }
            return 1
        }
    }
}

extension LuaSandbox {
    /// Runs once in the real global table; returns `make_env(api)` and the shared string methods.
    static let factorySource = #"""
        local next, type, error, select, rawget = next, type, error, select, rawget
        local raw_load, raw_collect = load, collectgarbage
        local raw_setmetatable, raw_getmetatable = setmetatable, getmetatable

        local function copy(t)
          local c = {}
          for k, v in next, t do c[k] = v end
          return c
        end

        local string_lib = copy(string)
        string_lib.dump = nil  -- bytecode is how sandboxes are escaped
        -- Strings share one method table; hide it so no plugin can change it for the others.
        local string_meta = raw_getmetatable("")
        string_meta.__index = string_lib
        string_meta.__metatable = false

        local safe_os = { time = os.time, date = os.date, clock = os.clock, difftime = os.difftime }
        local base_names = {
          "assert", "error", "ipairs", "next", "pairs", "pcall", "xpcall", "rawequal", "rawget", "rawlen",
          "rawset", "select", "setmetatable", "getmetatable", "tonumber", "tostring", "type", "_VERSION",
        }
        local base = {}
        for _, name in ipairs(base_names) do base[name] = _G[name] end
        -- Lua runs finalizers with hooks off, so a __gc that loops would hang the worker past any budget;
        -- only a __gc present when the metatable is set counts (lgc.c reads it raw), so checking here is enough.
        base.setmetatable = function(t, mt)
          if type(mt) == "table" and rawget(mt, "__gc") ~= nil then
            error("__gc metamethods are not allowed in a plugin", 2)
          end
          return raw_setmetatable(t, mt)
        end
        local libraries = { string = string_lib, table = table, math = math, utf8 = utf8, coroutine = coroutine, os = safe_os }

        local function guarded_collect(option, ...)
          if option == "count" then return raw_collect("count") end
          if option == nil or option == "collect" or option == "step" then return 0 end
          error("collectgarbage('" .. tostring(option) .. "') is not allowed in a plugin", 2)
        end

        -- A copy of an API table keeps a private copy of its metatable, locked.
        local function copy_api(value)
          if type(value) ~= "table" then return value end
          local c = copy(value)
          local meta = raw_getmetatable(value)
          if type(meta) == "table" then
            meta = copy(meta)
            meta.__metatable = false
            raw_setmetatable(c, meta)
          end
          return c
        end

        local function make_env(api)
          local env = {}
          for name, value in next, base do env[name] = value end
          for name, lib in next, libraries do env[name] = copy(lib) end
          env.unpack = table.unpack
          env.collectgarbage = guarded_collect
          env.load = function(chunk, name, mode, ...)
            if mode ~= nil and mode ~= "t" then return nil, "binary chunks are not allowed" end
            if select("#", ...) == 0 then return raw_load(chunk, name, "t", env) end
            return raw_load(chunk, name, "t", (...))
          end
          if api then
            for name, value in next, api do env[name] = copy_api(value) end
          end
          env._G = env
          return env
        end
        return { make_env = make_env, string_methods = string_lib }
        """#
}
