// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "health-sync",
    products: [
        .library(
            name: "SyncCore",
            targets: ["SyncModel", "SyncSupport", "SyncStore", "SyncClient", "Reporting", "HubCore"]),
        .executable(name: "station", targets: ["StationCLI"]),
        .executable(name: "hub", targets: ["HubServer"]),
        .executable(name: "sync-bench", targets: ["SyncBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        // Already built for Hummingbird; the hub names NIO's IOError to say "port in use".
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.0.0"),
        // No default traits: they are passed in a different order by `swift build`
        // and `swift test`, which recompiles Hummingbird on every switch.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0", traits: []),
        // Ed25519 signatures and HPKE for USB bundles, AES-GCM and scrypt for
        // stores encrypted at rest. Already built for the tests (AsyncHTTPClient
        // needs it), so it adds no build time.
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.0.0"),
        // The provincial hub's PostgreSQL store (docs/postgres-plan.md). Only
        // SyncStorePostgres uses it; the station never links it.
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
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
        // The library, in layers the compiler keeps apart (docs/design.md has
        // the map). Each lives in a subfolder of Sources/SyncCore.
        // Clocks, entity states, field rules, the wire codec, protocol
        // messages: pure Swift, no C, no SQL, no I/O (the fuzz target builds it alone).
        .target(name: "SyncModel", path: "Sources/SyncCore/Model"),
        // zlib and libcrypto behind small Swift types: gzip, token hashes, bundle signatures.
        .target(
            name: "SyncSupport",
            dependencies: [
                "SyncModel", "CZlib", "CCrypto",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            path: "Sources/SyncCore/Support"),
        // The only code that runs SQL: the SQLite layer, migrations, the
        // replica store and the hub's tables.
        .target(name: "SyncStore", dependencies: ["SyncModel", "CSQLite"], path: "Sources/SyncCore/Store"),
        // SyncStore's connection protocol on PostgreSQL, for the provincial hub.
        // Only the hub's side links it (and its tests): never the station.
        .target(
            name: "SyncStorePostgres",
            dependencies: ["SyncStore", "SyncModel", .product(name: "PostgresNIO", package: "postgres-nio")],
            path: "Sources/SyncCore/StorePostgres"),
        // The station's side of sync: libcurl, the sync session, prefetch.
        .target(
            name: "SyncClient", dependencies: ["SyncModel", "SyncStore", "SyncSupport", "CCurl"],
            path: "Sources/SyncCore/Client"),
        // The catalog, validation rules and reports, and the text formats they print in.
        .target(name: "Reporting", dependencies: ["SyncModel"], path: "Sources/SyncCore/Reporting"),
        // The hub's work without HTTP: auth, node binding, push, pull,
        // bundle import, operator operations. Throws domain errors.
        .target(
            name: "HubCore", dependencies: ["SyncModel", "SyncStore", "SyncSupport", "Reporting"],
            path: "Sources/SyncCore/Hub"),
        // Commands both executables offer: conflicts, records and tallies
        // review, rendering, --json output, errors to exit codes.
        .target(
            name: "OperatorCommands",
            dependencies: [
                "SyncModel", "SyncStore", "Reporting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "StationCLI",
            dependencies: [
                "SyncModel", "SyncSupport", "SyncStore", "SyncClient", "Reporting", "OperatorCommands",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "HubServer",
            dependencies: [
                "SyncModel", "SyncSupport", "SyncStore", "SyncStorePostgres", "Reporting", "HubCore",
                "OperatorCommands",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // A slow, late, breaking link on loopback (a TCP proxy), for sync-bench and the tests.
        .target(name: "LinkSimulator"),
        .executableTarget(
            name: "SyncBench",
            dependencies: [
                "SyncModel", "SyncSupport", "SyncStore", "SyncClient", "Reporting", "HubCore", "OperatorCommands",
                "LinkSimulator", "SyncStorePostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "SyncTestSupport",
            dependencies: [
                "SyncModel", "SyncStore", "SyncStorePostgres", .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/SyncTestSupport"
        ),
        .testTarget(
            name: "SyncCoreTests",
            dependencies: [
                "SyncModel", "SyncSupport", "SyncStore", "SyncClient", "Reporting", "HubCore", "OperatorCommands",
                "SyncTestSupport",
            ]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "HubServer", "StationCLI", "SyncModel", "SyncSupport", "SyncStore", "SyncStorePostgres", "SyncClient",
                "Reporting", "HubCore",
                "OperatorCommands", "SyncTestSupport", "LinkSimulator",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
        ),
        // The hub's routes driven in-process (HummingbirdTesting's router
        // framework): auth, limits and the hostile corpus, fast and isolated.
        .testTarget(
            name: "HubRouteTests",
            dependencies: [
                "HubServer", "HubCore", "SyncModel", "SyncStore", "SyncSupport", "SyncClient", "Reporting",
                "SyncTestSupport", "SyncStorePostgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // Request bodies the corpus test reads from disk.
            exclude: ["Corpus"]
        ),
        // The PostgreSQL connection against a real server: run through
        // scripts/postgres-test.sh, which starts a throwaway cluster.
        .testTarget(
            name: "PostgresTests",
            dependencies: [
                "SyncStorePostgres", "SyncStore", "SyncModel", "SyncTestSupport", "HubCore", "Reporting",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
