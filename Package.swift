// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "PortDaily",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "portdaily", targets: ["portdaily"]),
        .executable(name: "portdailyd", targets: ["portdailyd"]),
        // For the benchmarks in bench/, which drive the core and the store in process.
        .library(name: "PortDailyKit", targets: ["PortDailyCore", "PortDailyConfig", "PortDailyStore", "PortDailySimulation", "PortDailyAIS"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
    ],
    targets: [
        // Pure domain: types, validation, formats, the daily-report fold, figures. No I/O.
        .target(name: "PortDailyCore", swiftSettings: strict),
        // The YAML configuration, parsed once at the edge into core values.
        .target(
            name: "PortDailyConfig",
            dependencies: [
                "PortDailyCore", "PortDailyAIS", .product(name: "Yams", package: "Yams"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // SQLite's process-wide settings, through its variadic sqlite3_config (not callable from Swift).
        .target(name: "CSQLiteSetup", linkerSettings: [.linkedLibrary("sqlite3")]),
        // The durable store: GRDB over the system SQLite.
        .target(
            name: "PortDailyStore",
            dependencies: [
                "PortDailyCore", "PortDailyAIS", "CSQLiteSetup", .product(name: "GRDB", package: "GRDB.swift"),
                // The system SQLite's C API, for what GRDB does not expose (sqlite3_db_readonly).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                // The console's password hashes.
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: strict
        ),
        // The daemon's key events and their stable journal MESSAGE_IDs.
        .target(
            name: "PortDailyLogging", dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // libsystemd (libsystemd-dev): sd_notify, sd_listen_fds, sd_journal_sendv.
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        // The thin systemd shim: notifications, watchdog, socket activation, journald logging.
        .target(
            name: "SystemdSupport",
            dependencies: [
                "CSystemd",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        // The HTTP API: routes, auth, formats, error mapping.
        .target(
            name: "PortDailyHTTP",
            dependencies: [
                "PortDailyCore", "PortDailyStore", "PortDailyConfig", "PortDailyLogging", "PortDailyAIS",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strict
        ),
        // The web console under /ui/: sign-in, sessions, pages (Mustache), SVG charts, zh/en.
        .target(
            name: "PortDailyConsole",
            dependencies: [
                "PortDailyCore", "PortDailyStore", "PortDailyConfig", "PortDailyHTTP", "PortDailyLogging", "PortDailyAIS",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strict
        ),
        // TLS on the daemon's listener: contexts from the configured PEM files (reloadable),
        // plain HTTP refused on the TLS port, the client certificate's subject.
        .target(
            name: "PortDailyTLS",
            dependencies: [
                "PortDailyConfig", "PortDailyHTTP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The daemon's AIS feeds: NMEA over UDP and TCP, decoded, written to the store in batches.
        .target(
            name: "PortDailyAISFeed",
            dependencies: [
                "PortDailyAIS", "PortDailyCore", "PortDailyConfig", "PortDailyStore", "PortDailyLogging",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The daemon assembled: configuration, services, reload, the service group.
        .target(
            name: "PortDailyApp",
            dependencies: [
                "PortDailyCore", "PortDailyStore", "PortDailyConfig", "PortDailyHTTP", "PortDailyConsole", "PortDailyLogging",
                "SystemdSupport", "PortDailyTLS", "PortDailyAIS", "PortDailyAISFeed",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "portdailyd",
            dependencies: ["PortDailyApp", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),
        // AIS: NMEA sentences read, messages decoded and encoded. No I/O.
        .target(name: "PortDailyAIS", dependencies: ["PortDailyCore"], swiftSettings: strict),
        // Realistic generated registers and movement feeds, for the demo, tests and benchmarks.
        .target(name: "PortDailySimulation", dependencies: ["PortDailyCore"], swiftSettings: strict),
        .executableTarget(
            name: "portdaily",
            dependencies: [
                "PortDailyCore", "PortDailyConfig", "PortDailyStore", "PortDailySimulation", "PortDailyAIS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // Hand-built fixtures shared by the test targets.
        .target(name: "PortDailyTestSupport", dependencies: ["PortDailyCore"], path: "Tests/Support", swiftSettings: strict),
        .testTarget(
            name: "PortDailyCoreTests", dependencies: ["PortDailyCore", "PortDailySimulation", "PortDailyTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PortDailyStoreTests",
            dependencies: [
                "PortDailyCore", "PortDailyStore", "PortDailyConfig", "PortDailySimulation", "PortDailyTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        // The AIS decoder against pyais and gpsd's gpsdecode on real recordings (Fixtures/NOTICE).
        .testTarget(
            name: "PortDailyAISTests",
            dependencies: [
                "PortDailyAIS", "PortDailyAISFeed", "PortDailyCore", "PortDailyConfig", "PortDailyStore", "PortDailySimulation",
                "PortDailyTestSupport",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["Fixtures", "Oracles"], swiftSettings: strict
        ),
        .testTarget(
            name: "PortDailyConfigTests", dependencies: ["PortDailyConfig", "PortDailyCore", "PortDailyAIS"], swiftSettings: strict
        ),
        .testTarget(
            name: "PortDailyLoggingTests",
            dependencies: ["PortDailyLogging", "PortDailyTestSupport", "PortDailySimulation"],
            swiftSettings: strict
        ),
        // The HTTP API and the assembled application, in process (HummingbirdTesting), and the
        // few tests where the daemon's process is the subject (kill -9, disk full, slow clients).
        .testTarget(
            name: "PortDailyAPITests",
            dependencies: [
                "PortDailyTestSupport", "PortDailyApp", "PortDailyHTTP", "PortDailyConsole", "PortDailyStore", "PortDailyConfig", "PortDailyCore",
                "PortDailyAIS",
                "PortDailyLogging", "PortDailySimulation",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"), .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PortDailySystemdTests",
            dependencies: ["PortDailyTestSupport", "PortDailyLogging"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PortDailyEndToEndTests",
            dependencies: ["PortDailyCore", "PortDailyTestSupport"],
            swiftSettings: strict
        ),
    ]
)
