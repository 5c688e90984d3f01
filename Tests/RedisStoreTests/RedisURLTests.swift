import RedisStore
import Testing

@Suite("RedisURL parsing")
struct RedisURLTests {
    @Test(arguments: [
        ("redis://localhost", RedisURL(endpoint: .tcp(host: "localhost", port: 6379))),
        ("redis://127.0.0.1:6380", RedisURL(endpoint: .tcp(host: "127.0.0.1", port: 6380))),
        ("REDIS://h:1/15", RedisURL(endpoint: .tcp(host: "h", port: 1), database: 15)),
        ("redis://h/", RedisURL(endpoint: .tcp(host: "h", port: 6379))),
        ("redis://:pw@h", RedisURL(endpoint: .tcp(host: "h", port: 6379), password: "pw")),
        (
            "redis://bot:pw@h:7000/2",
            RedisURL(endpoint: .tcp(host: "h", port: 7000), username: "bot", password: "pw", database: 2)
        ),
        ("redis://:p%40ss%2Fw%3Ard@h", RedisURL(endpoint: .tcp(host: "h", port: 6379), password: "p@ss/w:rd")),
        ("redis://:p@ss@h", RedisURL(endpoint: .tcp(host: "h", port: 6379), password: "p@ss")),
        ("redis://[::1]:6390/1", RedisURL(endpoint: .tcp(host: "::1", port: 6390), database: 1)),
        ("redis://[::1]", RedisURL(endpoint: .tcp(host: "::1", port: 6379))),
        ("unix:///run/redis.sock", RedisURL(endpoint: .unix(path: "/run/redis.sock"))),
        ("unix:///run/redis.sock?db=4", RedisURL(endpoint: .unix(path: "/run/redis.sock"), database: 4)),
        ("unix://:pw@/run/redis.sock", RedisURL(endpoint: .unix(path: "/run/redis.sock"), password: "pw")),
    ])
    func parsesValidURLs(text: String, expected: RedisURL) throws {
        #expect(try RedisURL(text) == expected)
    }

    @Test(arguments: [
        "localhost:6379", "http://h", "rediss://h:6380", "redis://", "redis://:6379", "redis://h:0", "redis://h:65536",
        "redis://h:port", "redis://h/db", "redis://h/-1", "redis://h?db=1", "redis://user@h", "redis://:@h",
        "redis://[::1", "unix://", "unix://relative.sock", "unix:///s.sock?db=x", "unix:///s.sock?timeout=1",
        "redis://:%zz@h",
    ])
    func rejectsInvalidURLs(text: String) {
        let error = #expect(throws: RedisError.self) { try RedisURL(text) }
        #expect(error?.shortDescription == "invalid_url")
    }

    @Test func rejectsTLSWithAClearMessage() {
        let error = #expect(throws: RedisError.self) { try RedisURL("rediss://:pw@h") }
        #expect(error?.description.contains("TLS") == true)
    }

    @Test(arguments: [
        ("redis://:hunter2@h:1/3", "redis://:***@h:1/3"),
        ("redis://bot:hunter2@h", "redis://bot:***@h:6379/0"),
        ("unix://:hunter2@/s.sock?db=1", "unix://:***@/s.sock?db=1"),
        ("redis://[::1]", "redis://[::1]:6379/0"),
    ])
    func descriptionRedactsPassword(text: String, shown: String) throws {
        let url = try RedisURL(text)
        #expect(url.description == shown)
        #expect(!String(reflecting: url).contains("hunter2"))
        var dumped = ""
        dump(url, to: &dumped)
        #expect(!dumped.contains("hunter2"))
    }

    @Test(arguments: ["redis://:hunter2@h:port", "redis://u:hun/ter2@h", "redis://hunter2@h", "redis://:hunter2@h/x"])
    func errorsNeverQuoteThePassword(text: String) {
        let error = #expect(throws: RedisError.self) { try RedisURL(text) }
        #expect(error?.description.contains("hunter") == false)
        #expect(error?.description.contains("ter2") == false)
    }
}
