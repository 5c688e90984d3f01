import Testing

@testable import WardenDevKit

/// The soak's summary of Lua memory must tell a leak from the collector's saw-tooth.
struct SoakReportTests {
    func report(lua: [Double]) -> SoakRun.Report {
        var report = SoakRun.Report()
        report.samples = lua.enumerated().map {
            SoakRun.Sample(
                second: Double($0.offset * 30),
                botRSS: 80,
                redisMemory: 3,
                luaMemory: $0.element,
                handled: 0
            )
        }
        return report
    }

    @Test func aSawToothIsNoGrowthOfWhatCollectionsLeave() {
        let floor = report(lua: [14.9, 14.5, 17.6, 20.4, 23.8, 14.9, 17.3, 20.5, 23.0, 25.8, 28.4]).floor(\.luaMemory)
        #expect(floor.first == 14.5 && floor.last == 14.9)
    }

    @Test func aLeakRaisesWhatCollectionsLeave() {
        let report = report(lua: [15.1, 18.5, 21.8, 24.3, 27.2, 30.7, 33.4, 36.4, 38.8, 41.7, 43.9])
        let floor = report.floor(\.luaMemory)
        #expect(floor.last - floor.first > 15)
        #expect(
            report.table.contains("Lua, lowest of the first and the last half (what collections leave): 15.1 → 30.7 MB")
        )
    }
}
