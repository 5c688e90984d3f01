import Foundation
import Testing

@testable import WardenRuntime

@Suite struct ConfigTests {
    func load(_ toml: String, environment: [String: String] = [:]) throws(ConfigError) -> WardenConfig {
        var config = WardenConfig()
        try config.apply(toml: toml)
        if let token = environment["WARDEN_TOKEN"] { config.token = Secret(token) }
        try config.validate()
        return config
    }

    @Test func exampleConfigLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let config = try WardenConfig.load(
            path: root.appendingPathComponent("data/config.example.toml").path,
            environment: [:]
        )
        // Every plugin it enables ships in plugins/, so a copied example config starts without load errors.
        #expect(config.plugins.count >= 4)
        for name in config.plugins {
            #expect(
                FileManager.default.fileExists(atPath: root.appendingPathComponent("plugins/\(name).lua").path),
                "\(name)"
            )
        }
        #expect(config.redisPrefix == "warden:")
    }

    @Test func environmentOverridesTheFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("warden-\(UUID().uuidString).toml")
        try "token = \"1:file\"\n[redis]\nurl = \"redis://file:6379\"".write(
            to: file,
            atomically: true,
            encoding: .utf8
        )
        defer { try? FileManager.default.removeItem(at: file) }
        let config = try WardenConfig.load(
            path: file.path,
            environment: ["WARDEN_TOKEN": "2:env", "WARDEN_REDIS_URL": "redis://env:1"]
        )
        #expect(config.token?.exposedValue == "2:env")
        #expect(config.redisURL.exposedValue == "redis://env:1")
    }

    @Test(arguments: [
        ("sudo_users = \"me\"", "sudo_users"), ("[redis]\nurl = 5", "redis.url"),
        ("[redis]\nurl = \"http://x\"", "redis.url"),
        ("[plugins]\nenabled = [\"ok\", 3]", "plugins.enabled[1]"),
        ("[plugins]\nenabled = [\"a b\"]", "plugins.enabled[0]"),
        ("[runtime]\nworkers = -1", "runtime.workers"), ("[runtime]\ntypo = 1", "runtime.typo"),
        ("colour = 1", "colour"),
        ("token = \"no-colon\"", "token"), ("[redis]\nprefix = \"{x}\"", "redis.prefix"),
    ])
    func badSettingsNameTheirField(toml: String, field: String) {
        let error = #expect(throws: ConfigError.self) { try load(toml) }
        #expect(error?.field == field)
        #expect(error?.description.hasPrefix("config: \(field): ") == true)
    }

    @Test func syntaxErrorsGiveTheLine() {
        let error = #expect(throws: ConfigError.self) { try load("a = 1\nb = = 2") }
        #expect(error?.description.contains("line 2") == true)
    }

    @Test func tokenNeverPrints() throws {
        let config = try load(#"token = "123456:VERYSECRET""#)
        let printed = "\(config) \(String(describing: config.token)) \(String(reflecting: config.token))"
        #expect(!printed.contains("VERYSECRET"))
        let bad = #expect(throws: ConfigError.self) { try load(#"token = "VERYSECRET with space:x""#) }
        #expect(bad?.description.contains("VERYSECRET") == false)
    }
}
