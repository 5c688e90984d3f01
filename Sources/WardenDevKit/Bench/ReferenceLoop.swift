import LuaHost

/// A fixed piece of work timed on one core before a bench and after it: this VM's speed has changed from one
/// session's machine to the next by more than twice, and the loop says which machine a figure came from (not
/// why runs of one hour differ: that is the threads' hand-offs). It is Lua of the kind the plugins run, with
/// the count hook armed as the workers have it: small tables, string keys, concatenation, calls.
enum ReferenceLoop {
    static let source = """
        local function key(chat, part) return "warden:{chat:" .. chat .. "}:" .. part end
        local window, sum = {}, 0
        for i = 1, 400000 do
          local chat = i % 1000
          local k = key(chat, "flood")
          local w = window[k]
          if w == nil or #w >= 8 then w = {}; window[k] = w end
          w[#w + 1] = i
          sum = sum + #w
        end
        return sum
        """

    /// The best of `runs` timings, in milliseconds (the least disturbed by other processes).
    static func milliseconds(runs: Int = 3) throws(LuaError) -> Double {
        let lua = try LuaState()
        defer { lua.close() }
        let loop = try lua.load(source, chunkName: "=reference loop")
        var best = Duration.seconds(3600)
        for _ in 0..<runs {
            let started = ContinuousClock.now
            _ = try lua.call(loop, budget: 1 << 40)
            best = min(best, ContinuousClock.now - started)
        }
        return best.seconds * 1000
    }
}
