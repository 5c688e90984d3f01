import LuaHost
import Testing

@testable import WardenRuntime

/// Random patterns and texts checked against Lua's own matcher: whatever the
/// validator accepts, Lua matches without a pattern error, and whatever Lua
/// matches, the index offers as a candidate.
@Suite struct LuaPatternFuzzTests {
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state ^ (state >> 29)
        }
    }

    static let patternAlphabet = Array("^$%[]()^.*+-?ab!/#%d%a1029fB-]".utf8)
    static let textAlphabet = Array("ab!/#1 (-)[].%B".utf8)

    @Test func validatorAndIndexAgreeWithLua() throws {
        let lua = try LuaState(memoryCap: 16 << 20, instructionBudget: 1_000_000)
        let env = try LuaSandbox(state: lua).makeEnvironment(api: nil)
        let find = try lua.load(
            "local s, p = ...; local ok, r = pcall(string.find, s, p); if ok then return r ~= nil, '' end; return false, r",
            chunkName: "=fuzz",
            environment: env
        )
        var random = Seeded(state: 0x5EED)
        var accepted = 0
        var matchedChecks = 0
        for _ in 0..<4_000 {
            let length = Int.random(in: 1...8, using: &random)
            let bytes = (0..<length).map { _ in Self.patternAlphabet.randomElement(using: &random)! }
            let source = String(decoding: bytes, as: UTF8.self)
            guard let pattern = try? LuaPattern(source) else { continue }
            accepted += 1
            let index = PatternIndex([pattern])
            for _ in 0..<6 {
                let text = (0..<Int.random(in: 0...6, using: &random)).map { _ in
                    Self.textAlphabet.randomElement(using: &random)!
                }
                let result = try lua.call(find, [.string(text), .string(pattern.bytes)])
                let error = result.last?.stringValue ?? ""
                #expect(error.isEmpty, "\(source): \(error)")
                if result.first == true {
                    matchedChecks += 1
                    #expect(
                        index.candidates(for: text) == [0],
                        "\(source) matched \(String(decoding: text, as: UTF8.self))"
                    )
                }
            }
        }
        #expect(accepted > 500)
        #expect(matchedChecks > 500)
    }
}
