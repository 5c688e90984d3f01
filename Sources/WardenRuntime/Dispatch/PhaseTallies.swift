/// A worker's time and Lua allocation by phase and plugin (`DispatchStats.time`, `.luaAllocated`), and the
/// plugin calls not yet in the metrics.
///
/// Kept in slots, not a dictionary keyed by phase and plugin name: a plugin call finds its slot in the
/// plugin's own short list, so the dozen calls of an ordinary message hash no strings (hashing the key
/// was about 1% of a worker's time in `warden bench`).
struct PhaseTallies {
    /// The worker's own phases, around the plugin calls; their slots come first.
    enum HostPhase: Int, CaseIterable {
        case total, ledger, readAhead, messageTable, patternsAndRun

        var name: String {
            switch self {
            case .total: "total"
            case .ledger: "ledger"
            case .readAhead: "read ahead"
            case .messageTable: "message table"
            case .patternsAndRun: "patterns and run"
            }
        }
    }

    struct Key: Hashable {
        var phase: String
        /// Empty for the worker's own phases.
        var plugin = ""
        /// "pre_process flood"; "ledger" for the worker's own.
        var name: String { plugin.isEmpty ? phase : "\(phase) \(plugin)" }
    }

    struct Tally {
        var time = Duration.zero
        var luaBytes: UInt64 = 0
        var unflushedCalls = 0
        var unflushedTime = Duration.zero
    }

    private(set) var keys: [Key] = HostPhase.allCases.map { Key(phase: $0.name) }
    private(set) var tallies: [Tally] = HostPhase.allCases.map { _ in Tally() }
    private var slots: [Key: Int] = Dictionary(
        uniqueKeysWithValues: HostPhase.allCases.map { (Key(phase: $0.name), $0.rawValue) }
    )

    /// The slot of one of `plugin`'s phases, remembered by the plugin (a reloaded plugin finds its old slot).
    mutating func slot(of plugin: Plugin, phase: String) -> Int {
        if let known = plugin.phaseSlots.first(where: { $0.phase == phase }) { return known.slot }
        let key = Key(phase: phase, plugin: plugin.name)
        let slot = slots[key] ?? append(key)
        plugin.phaseSlots.append((phase, slot))
        return slot
    }

    private mutating func append(_ key: Key) -> Int {
        keys.append(key)
        tallies.append(Tally())
        slots[key] = keys.count - 1
        return keys.count - 1
    }

    /// Adds one run of a phase; `forMetrics`: a plugin call the metrics have not counted yet.
    mutating func add(_ slot: Int, _ duration: Duration, luaBytes: UInt64, forMetrics: Bool) {
        tallies[slot].time += duration
        tallies[slot].luaBytes += luaBytes
        guard forMetrics else { return }
        tallies[slot].unflushedCalls += 1
        tallies[slot].unflushedTime += duration
    }

    /// Hands the plugin calls not yet in the metrics to `report` (plugin, calls, time) and forgets them.
    mutating func flush(_ report: (String, Int, Duration) -> Void) {
        for slot in tallies.indices where tallies[slot].unflushedCalls > 0 {
            report(keys[slot].plugin, tallies[slot].unflushedCalls, tallies[slot].unflushedTime)
            tallies[slot].unflushedCalls = 0
            tallies[slot].unflushedTime = .zero
        }
    }
}
