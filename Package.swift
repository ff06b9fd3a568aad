// swift-tools-version:6.1
import PackageDescription

/// What every feature module may use from outside the project.
let moduleProducts: [Target.Dependency] = [
    "ClinicBoxCore",
    .product(name: "Crypto", package: "swift-crypto"),
    .product(name: "GRDB", package: "GRDB.swift"),
    .product(name: "HTTPTypes", package: "swift-http-types"),
    .product(name: "Hummingbird", package: "hummingbird"),
    .product(name: "Logging", package: "swift-log"),
    .product(name: "Mustache", package: "swift-mustache"),
    .product(name: "NIOCore", package: "swift-nio"),
]

/// A feature module: its folder under `Sources/Features/`, the core, and the modules whose code it uses (Visits may
/// use Patients; Patients uses no module). `Sources/Features/README.md` is the recipe.
func module(_ name: String, uses modules: [String] = []) -> Target {
    .target(name: name, dependencies: moduleProducts + modules.map { Target.Dependency(stringLiteral: $0) }, path: "Sources/Features/\(name)")
}

let features = [
    "Patients", "Clinical", "Documents", "Inventory", "Reports", "Appointments", "Treatments", "Prescriptions", "Sales", "Visits", "Billing",
]

let package = Package(
    name: "clinicbox",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "clinicbox", targets: ["clinicbox"]),
        .library(name: "ClinicBox", targets: ["ClinicBox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        .target(
            name: "CSQLiteHardening",
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
        // The core: HTTP, storage, tenancy, accounts, pages and the module contract. It names no module.
        .target(
            name: "ClinicBoxCore",
            dependencies: [
                "CSQLiteHardening",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            plugins: ["EmbedAssets"]
        ),
        module("Patients"),
        module("Clinical", uses: ["Patients"]),
        module("Documents", uses: ["Patients", "Clinical"]),
        module("Inventory"),
        module("Reports"),
        module("Appointments", uses: ["Patients"]),
        module("Treatments", uses: ["Patients"]),
        module("Prescriptions", uses: ["Patients", "Clinical", "Inventory"]),
        module("Sales", uses: ["Patients", "Clinical", "Inventory", "Prescriptions"]),
        module("Visits", uses: ["Patients", "Clinical", "Documents", "Treatments", "Prescriptions"]),
        module("Billing", uses: ["Patients"]),
        // The assembly: the catalogue of the modules that ship, and what works across them (the demo data).
        .target(
            name: "ClinicBox",
            dependencies: ["ClinicBoxCore", .product(name: "GRDB", package: "GRDB.swift")] + features.map { Target.Dependency(stringLiteral: $0) }
        ),
        .executableTarget(name: "AssetEmbedder"),
        .plugin(name: "EmbedAssets", capability: .buildTool(), dependencies: ["AssetEmbedder"]),
        .executableTarget(
            name: "clinicbox",
            dependencies: [
                "ClinicBox",
                "ClinicBoxCore",
                "Clinical",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "ClinicBoxTests",
            dependencies: [
                "ClinicBox",
                "ClinicBoxCore",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ] + features.map { Target.Dependency(stringLiteral: $0) },
            exclude: ["Fixtures"]  // read from the source tree by the tests that use them
        ),
    ]
)
