import LuaHost
import Testing

@testable import WardenRuntime

@Suite struct IdleCollectionTests {
    /// Garbage that lived long enough to be old is freed only by a full collection. A worker whose idle
    /// collections freed only young garbage (and kept the collector from starting its own) grew without
    /// end in `warden soak`: the state kept here is the same size throughout, as a plugin's windows are.
    @Test func oldGarbageIsFreedByIdleCollectionsToo() throws {
        let lua = try LuaState()
        let chunk = try lua.load(
            """
            ring = ring or {}
            local n = (next_slot or 0)
            for i = 1, 500 do
              n = n % 20000 + 1
              ring[n] = { n, "slot " .. n }
            end
            next_slot = n
            """,
            chunkName: "=batch"
        )
        defer { lua.release(chunk) }
        var idle = IdleCollection()
        var settled = 0
        for batch in 1...2000 {
            _ = try lua.call(chunk)
            if idle.isDue(lua) { idle.collect(lua) }
            if batch == 200 { settled = lua.memoryInUse }
        }
        #expect(lua.memoryInUse < settled * 2, "\(settled) bytes after 200 batches, \(lua.memoryInUse) after 2,000")
    }
}
