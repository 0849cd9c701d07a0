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
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // Pure domain: types, validation, formats, the daily-report fold, figures. No I/O.
        .target(name: "PortDailyCore", swiftSettings: strict),
        // The YAML configuration, parsed once at the edge into core values.
        .target(
            name: "PortDailyConfig",
            dependencies: ["PortDailyCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        // The durable store: GRDB over the system SQLite.
        .target(
            name: "PortDailyStore",
            dependencies: ["PortDailyCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        // Realistic generated registers and movement feeds, for the demo, tests and benchmarks.
        .target(name: "PortDailySimulation", dependencies: ["PortDailyCore"], swiftSettings: strict),
        .executableTarget(
            name: "portdaily",
            dependencies: [
                "PortDailyCore", "PortDailyConfig", "PortDailyStore", "PortDailySimulation",
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
        .testTarget(
            name: "PortDailyEndToEndTests",
            dependencies: ["PortDailyCore", "PortDailyTestSupport"],
            swiftSettings: strict
        ),
    ]
)
