import Testing

@testable import RedisStore

@Suite("Key schema")
struct RedisKeySchemaTests {
    let keys = RedisKeySchema.default

    @Test func layout() throws {
        #expect(keys.global("bot", "offset").rawValue == "warden:bot:offset")
        #expect(keys.chat(-100123, "settings").rawValue == "warden:{chat:-100123}:settings")
        #expect(keys.chat(-100123).rawValue == "warden:{chat:-100123}")
        #expect(keys.chatMember(-100123, 42, "warns").rawValue == "warden:{chat:-100123}:user:42:warns")
        #expect(keys.user(42, "lang").rawValue == "warden:{user:42}:lang")
        #expect(try RedisKeySchema(prefix: "test:").chat(1, "a").rawValue == "test:{chat:1}:a")
        #expect(keys.chat(7, parts: ["a", "b"]) == keys.chat(7, "a", "b"))
    }

    @Test func chatKeysShareOneClusterSlot() {
        let chatKeys = [
            keys.chat(-100123, "settings"), keys.chat(-100123, "flood", "x"), keys.chatMember(-100123, 9, "warns"),
        ]
        #expect(chatKeys.allSatisfy { $0.hashTag == "chat:-100123" })
        #expect(Set(chatKeys.map(\.hashSlot)) == [10013], "CLUSTER KEYSLOT warden:{chat:-100123}:settings")
    }

    @Test func hashSlotMatchesRedisCluster() {
        // Values from CLUSTER KEYSLOT on redis-server 7 with cluster-enabled.
        let slots = [
            "foo": 12182, "hello": 866, "somekey": 11058, "foo{hash_tag}": 2515, "{foo}.bar": 12182, "{}foo": 9500,
        ]
        for (raw, slot) in slots {
            #expect(RedisKey(rawValue: raw).hashSlot == slot, "\(raw)")
        }
        #expect(RedisKey(rawValue: "{}foo").hashTag == nil, "an empty tag hashes the whole key")
        #expect(RedisKey(rawValue: "a{b}{c}").hashTag == "b", "only the first tag counts")
        #expect(RedisKeySchema.default.global("x").hashTag == nil)
    }

    @Test(arguments: [
        "{chat:-100999}", "}{chat:1}", "a:b", "100%", "tab\there", "nul\u{0}", "bell\u{7}", "c1\u{85}", "del\u{7F}",
    ])
    func freeTextPartsCannotInject(part: String) {
        let chatKey = keys.chat(-100123, part)
        #expect(chatKey.hashTag == "chat:-100123")
        let global = keys.global(part)
        #expect(global.hashTag == nil, "a part cannot create a hash tag")
        #expect(!global.rawValue.contains("{chat:"))
        #expect(!global.rawValue.unicodeScalars.contains { $0.properties.generalCategory == .control })
    }

    @Test func escapingIsInjective() {
        #expect(keys.global("a:b") != keys.global("a", "b"))
        #expect(keys.global("%7B") != keys.global("{"))
        #expect(keys.global("{chat:-1}", "settings") != keys.chat(-1, "settings"))
        #expect(RedisKeySchema.escape("{x:y}%") == "%7Bx%3Ay%7D%25")
        #expect(RedisKeySchema.escape("\u{0}\u{85}") == "%00%C2%85")
        #expect(RedisKeySchema.escape("plain-text_ünïcode") == "plain-text_ünïcode")
    }

    @Test func exactlyTheControlCharactersAndTheFourSeparatorsAreEscaped() {
        // Unicode's category Cc against the ranges escape() checks, over the Basic Multilingual Plane.
        let separators: Set<Unicode.Scalar> = ["{", "}", ":", "%"]
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let part = String(scalar)
            let escaped = RedisKeySchema.escape(part) != part
            let expected = separators.contains(scalar) || scalar.properties.generalCategory == .control
            #expect(escaped == expected, "U+\(String(value, radix: 16))")
            if escaped != expected { return }
        }
    }

    @Test(arguments: ["war{den}:", "x\n", "}"])
    func prefixWithBracesOrControlsIsRejected(prefix: String) {
        #expect(throws: RedisKeySchemaError.self) { try RedisKeySchema(prefix: prefix) }
    }
}
