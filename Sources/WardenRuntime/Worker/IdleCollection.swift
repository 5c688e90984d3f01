import LuaHost

/// When a worker's Lua collector does its work: while the worker waits for updates.
///
/// Left to itself, the collector starts a minor collection when a plugin allocates past its threshold
/// (a fifth more than the last collection left: about a megabyte in `warden bench`), so the pause lands inside a batch and
/// every update of that batch waits for it. Here the worker runs one itself, when its queue is empty and a
/// quarter of a megabyte has been allocated since: short, since a minor collection's time follows what was
/// allocated, at a time no update waits for, and it puts off the one the collector would have started.
/// In `warden bench` at 5,000 updates/s this halved p99 (docs/performance.md).
///
/// A minor collection frees only what died young. What lived through two of them (a flood window, a
/// cached copy later replaced) is freed by a major one, which Lua starts only from its own steps, once the
/// state has doubled since the last. Minor collections run here keep those steps from coming, so this
/// runs the major one itself, by the same rule: without it, a worker's state under a steady 2,000
/// updates/s (`warden soak`) grew by 3 MB every 30 s for as long as it ran.
struct IdleCollection {
    private var allocatedAtLastCollection: UInt64 = 0
    /// What the state held after the last full collection run here; nothing before the first.
    private var heldAfterFullCollection = 0
    static let allocationBetweenCollections: UInt64 = 256 << 10

    /// Whether enough was allocated since the last collection here to be worth one.
    func isDue(_ lua: LuaState) -> Bool {
        lua.bytesAllocated - allocatedAtLastCollection > Self.allocationBetweenCollections
    }

    mutating func collect(_ lua: LuaState) {
        if lua.memoryInUse > 2 * heldAfterFullCollection {
            lua.collectGarbage()
            heldAfterFullCollection = lua.memoryInUse
        } else {
            lua.collectYoung()
        }
        allocatedAtLastCollection = lua.bytesAllocated
    }
}

extension PluginHost {
    /// Whether the Lua state has garbage worth collecting while the worker is idle.
    var hasGarbageDue: Bool { idleCollection.isDue(lua) }

    /// Collects what died young since the last collection, or everything once the state has doubled.
    func collectIdleGarbage() {
        idleCollection.collect(lua)
        counters.collectionsWhileIdle += 1
    }
}
