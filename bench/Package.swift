// swift-tools-version:6.1
// The benchmarks' own programs, built in release mode by bench/run: a bare Hummingbird server
// (the baseline of the HTTP figures) and the in-process fold benchmark.
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "PortDailyBench",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "PortDaily", path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        .executableTarget(
            name: "bare-hummingbird", dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: strict),
        .executableTarget(
            name: "fold-bench", dependencies: [.product(name: "PortDailyKit", package: "PortDaily")],
            swiftSettings: strict),
        .executableTarget(
            name: "ais-bench", dependencies: [.product(name: "PortDailyKit", package: "PortDaily")],
            swiftSettings: strict),
    ]
)
