// swift-tools-version:6.0
import PackageDescription

// One set of compiler settings for every Swift target (the Hummingbird habit).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "warden",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "warden", targets: ["WardenCLI"]),
        .library(name: "WardenRuntime", targets: ["WardenRuntime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.25.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
    ],
    targets: [
        // C libraries from Debian, each a module map plus one header of static inline wrappers.
        .systemLibrary(name: "CLua", pkgConfig: "lua5.4", providers: [.apt(["liblua5.4-dev"])]),
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // The only compiled C: the count hook, the capped allocator and the error trampolines.
        .target(name: "CLuaShim", dependencies: ["CLua"]),

        .target(name: "LuaHost", dependencies: ["CLua", "CLuaShim"], swiftSettings: swiftSettings),
        .target(name: "WardenJSON", swiftSettings: swiftSettings),
        // The pinned Bot API spec (a copy of ../shared/telegram-bot-api) and request validation against it.
        .target(
            name: "BotAPISpec",
            dependencies: ["WardenJSON"],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "BotAPI",
            dependencies: [
                "WardenJSON",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TelegramSimulator",
            dependencies: [
                "WardenJSON", "BotAPISpec",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "RedisStore", dependencies: ["CHiredis", "COpenSSL"], swiftSettings: swiftSettings),
        .target(
            name: "WardenRuntime",
            dependencies: [
                "LuaHost", "RedisStore", "WardenJSON", "BotAPI", "COpenSSL",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),
        // The operator's kit: plugin specs played against the simulator and a private redis-server.
        .target(
            name: "WardenDevKit",
            dependencies: [
                "WardenRuntime", "LuaHost", "RedisStore", "WardenJSON", "TelegramSimulator", "WardenTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "WardenCLI",
            dependencies: [
                "WardenRuntime", "WardenDevKit", "WardenJSON", "LuaHost", "RedisStore", "BotAPI", "TelegramSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Real servers for tests: redis-server on a free loopback port, temp plugin dirs.
        .target(name: "WardenTestSupport", dependencies: ["RedisStore", "WardenJSON"], swiftSettings: swiftSettings),

        .testTarget(
            name: "WardenJSONTests",
            dependencies: ["WardenJSON", "WardenTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "BotAPISpecTests", dependencies: ["BotAPISpec", "WardenJSON"], swiftSettings: swiftSettings),
        .testTarget(
            name: "BotAPITests",
            dependencies: [
                "BotAPI", "WardenJSON",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TelegramSimulatorTests",
            dependencies: [
                "TelegramSimulator", "BotAPISpec", "WardenJSON",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "LuaHostTests", dependencies: ["LuaHost"], swiftSettings: swiftSettings),
        .testTarget(
            name: "WardenDevKitTests",
            dependencies: ["WardenDevKit", "WardenJSON", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RedisStoreTests",
            dependencies: ["RedisStore", "WardenTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WardenRuntimeTests",
            dependencies: [
                "WardenRuntime", "LuaHost", "RedisStore", "WardenJSON", "WardenTestSupport", "BotAPI", "BotAPISpec",
                "TelegramSimulator",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
