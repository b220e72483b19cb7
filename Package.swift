// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "health-sync",
    products: [
        .library(name: "SyncCore", targets: ["SyncCore"]),
        .executable(name: "station", targets: ["StationCLI"]),
        .executable(name: "hub", targets: ["HubServer"]),
        .executable(name: "sync-bench", targets: ["SyncBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        // No default traits: they are passed in a different order by `swift build`
        // and `swift test`, which recompiles Hummingbird on every switch.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0", traits: []),
    ],
    targets: [
        // The C libraries, each behind a thin layer of our own in SyncCore.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .target(
            name: "CCurl",
            linkerSettings: [.linkedLibrary("curl")]
        ),
        .target(
            name: "SyncCore",
            dependencies: [
                "CSQLite", "CCurl", "CZlib", "CCrypto",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "StationCLI",
            dependencies: [
                "SyncCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "HubServer",
            dependencies: [
                "SyncCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "SyncBench",
            dependencies: [
                "SyncCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "SyncTestSupport",
            dependencies: ["SyncCore"],
            path: "Tests/SyncTestSupport"
        ),
        .testTarget(
            name: "SyncCoreTests",
            dependencies: ["SyncCore", "SyncTestSupport"]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "HubServer", "StationCLI", "SyncCore", "SyncTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // Request bodies the corpus test reads from disk.
            exclude: ["Corpus"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
