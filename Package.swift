// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "ZooStack",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "zoostack", targets: ["zoostack"]),
        .executable(name: "zoostack-agent", targets: ["zoostack-agent"]),
        .executable(name: "zoostack-bench", targets: ["zoostack-bench"]),
        .library(name: "ZooKeeperProtocol", targets: ["ZooKeeperProtocol"]),
        .library(name: "ZooKeeperClient", targets: ["ZooKeeperClient"]),
        .library(name: "ZooKeeperRecipes", targets: ["ZooKeeperRecipes"]),
        .library(name: "ZooKeeperServer", targets: ["ZooKeeperServer"]),
        .library(name: "Coordination", targets: ["Coordination"]),
        .library(name: "Cluster", targets: ["Cluster"]),
        .library(name: "Agent", targets: ["Agent"]),
        .library(name: "HostManagement", targets: ["HostManagement"]),
        .library(name: "QEMU", targets: ["QEMU"]),
        .library(name: "QEMUAgent", targets: ["QEMUAgent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // The web console: static files only, speaking the public API from the browser (no cloud imports).
        .target(
            name: "Console",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            resources: [.copy("Assets")],
            swiftSettings: strict
        ),
        .target(
            name: "QEMU",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // Template and ISO downloads into a file image store (HTTP(S), checksum, qemu-img check): no cloud imports.
        .target(
            name: "ImageDownload",
            dependencies: [
                "QEMU",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ZooKeeperProtocol",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strict
        ),
        .target(
            name: "ZooKeeperClient",
            dependencies: [
                "ZooKeeperProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ZooKeeperRecipes",
            dependencies: [
                "ZooKeeperClient",
                "ZooKeeperProtocol",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ZooKeeperServer",
            dependencies: [
                "ZooKeeperProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ZooKeeperTestSupport",
            dependencies: [
                "ZooKeeperProtocol",
                "ZooKeeperServer",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "CloudTestSupport",
            dependencies: ["CloudStore", "ZooKeeperTestSupport"],
            swiftSettings: strict
        ),
        .target(
            name: "ClusterHarness",
            dependencies: [
                "CloudAPI",
                "CloudCore",
                "CloudTestSupport",
                "ZooKeeperClient",
                "ZooKeeperProtocol",
                "ZooKeeperTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "CloudModel",
            dependencies: [],
            swiftSettings: strict
        ),
        .target(
            name: "CloudStore",
            dependencies: [
                "CloudModel",
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Coordination",
            dependencies: [
                "ZooKeeperClient",
                "ZooKeeperRecipes",
                "ZooKeeperProtocol",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Orchestrator",
            dependencies: [
                "CloudModel",
                "CloudStore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "CloudCore",
            dependencies: [
                "CloudModel",
                "CloudStore",
                "ImageDownload",
                "Orchestrator",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ConsoleProxy",
            dependencies: [
                "CloudCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "CloudAPI",
            dependencies: [
                "CloudCore",
                "CloudModel",
                "Orchestrator",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Cluster",
            dependencies: [
                "CloudModel",
                "CloudStore",
                "Orchestrator",
                "CloudCore",
                "Coordination",
                "ZooKeeperClient",
                "ZooKeeperProtocol",
                "ZooKeeperRecipes",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The agent protocol and the host side serving it: no cloud model, no store (a host's agent links neither).
        .target(
            name: "Agent",
            dependencies: [
                "Coordination",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // The management server's side of its hosts: adoption, the agent driver, power-state sync, in-process hosts.
        .target(
            name: "HostManagement",
            dependencies: [
                "Agent",
                "CloudModel",
                "CloudStore",
                "Orchestrator",
                "CloudCore",
                "Coordination",
                "ZooKeeperClient",
                "ZooKeeperRecipes",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The QEMU host agent: the agent protocol served over QEMU processes (no cloud model, no store).
        .target(
            name: "QEMUAgent",
            dependencies: [
                "Agent",
                "QEMU",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // `zoostack agent`'s options and run, shared with the lean `zoostack-agent`, and what the agent shares with
        // the other long-running commands (log format, ZooKeeper TLS options, the service group).
        .target(
            name: "AgentCommandLine",
            dependencies: [
                "Agent",
                "Coordination",
                "QEMU",
                "QEMUAgent",
                "ZooKeeperClient",
                "ZooKeeperProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // A host's agent alone (`zoostack agent` without the management server, its API, store and HTTP client):
        // what a hypervisor host runs, at a fraction of the memory. Its modules use FoundationEssentials, never
        // Foundation. It links the Swift runtime statically, so that only the parts it calls are loaded, and
        // libFoundation (with ICU), which swift-crypto imports without calling, not at all; the modules were
        // compiled for the shared runtime, so FoundationEssentials' own static dependencies are named here.
        .executableTarget(
            name: "zoostack-agent",
            dependencies: [
                "AgentCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict,
            linkerSettings: [
                .unsafeFlags(
                    ["-static-stdlib", "-l_FoundationCollections", "-l_FoundationCShims"],
                    .when(platforms: [.linux])
                )
            ]
        ),
        // The shipped executable: no test-support target (ZooKeeperTestSupport, CloudTestSupport, ClusterHarness)
        // among its dependencies; scripts/test.sh fails the run if one appears.
        .executableTarget(
            name: "zoostack",
            dependencies: [
                "AgentCommandLine",
                "Cluster",
                "Coordination",
                "ZooKeeperProtocol",
                "ZooKeeperClient",
                "ZooKeeperServer",
                "CloudStore",
                "Orchestrator",
                "CloudAPI",
                "CloudCore",
                "Agent",
                "HostManagement",
                "QEMU",
                "QEMUAgent",
                "Console",
                "ConsoleProxy",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The benchmarks, apart from the shipped binary as swift-nio keeps its own: `cluster` needs ClusterHarness.
        .executableTarget(
            name: "zoostack-bench",
            dependencies: [
                "Agent",
                "HostManagement",
                "CloudAPI",
                "CloudCore",
                "CloudModel",
                "CloudStore",
                "ClusterHarness",
                "Coordination",
                "Orchestrator",
                "QEMU",
                "ZooKeeperClient",
                "ZooKeeperProtocol",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ConsoleTests",
            dependencies: [
                "Console",
                "CloudAPI",
                "CloudCore",
                "ClusterHarness",
                "CloudModel",
                "CloudStore",
                "CloudTestSupport",
                "Orchestrator",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "QEMUTests",
            dependencies: ["QEMU"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "QEMUAgentTests",
            dependencies: ["QEMUAgent", "Agent", "QEMU", "Coordination"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ImageDownloadTests",
            dependencies: ["ImageDownload"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ZooKeeperProtocolTests",
            dependencies: [
                "ZooKeeperProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ZooKeeperClientTests",
            dependencies: [
                "ZooKeeperClient",
                "ZooKeeperProtocol",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ZooKeeperRecipesTests",
            dependencies: ["ZooKeeperRecipes", "ZooKeeperClient", "ZooKeeperProtocol", "ZooKeeperTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ZooKeeperServerTests",
            dependencies: [
                "ZooKeeperServer",
                "ZooKeeperProtocol",
                "ZooKeeperTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ZooStackIntegrationTests",
            dependencies: [
                "ZooKeeperClient",
                "ZooKeeperProtocol",
                "ZooKeeperTestSupport",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ZooKeeperServerInteropTests",
            dependencies: [
                "ZooKeeperTestSupport",
                "ZooKeeperClient",
                "ZooKeeperProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            exclude: ["Resources"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CoordinationTests",
            dependencies: [
                "Coordination",
                "ZooKeeperClient",
                "ZooKeeperProtocol",
                "ZooKeeperRecipes",
                "ZooKeeperServer",
                "ZooKeeperTestSupport",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CloudModelTests",
            dependencies: ["CloudModel"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CloudStoreTests",
            dependencies: [
                "CloudCore",
                "CloudModel",
                "CloudStore",
                "CloudTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "OrchestratorTests",
            dependencies: ["CloudModel", "Orchestrator"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CloudAPITests",
            dependencies: [
                "CloudCore",
                "CloudModel",
                "CloudStore",
                "Orchestrator",
                "CloudAPI",
                "CloudTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CloudCoreTests",
            dependencies: [
                "CloudCore",
                "CloudModel",
                "CloudStore",
                "Orchestrator",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ClusterTests",
            dependencies: [
                "Cluster",
                "CloudAPI",
                "CloudCore",
                "CloudModel",
                "CloudStore",
                "CloudTestSupport",
                "Coordination",
                "Orchestrator",
                "ZooKeeperClient",
                "ZooKeeperServer",
                "ZooKeeperTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AgentTests",
            dependencies: [
                "Agent",
                "HostManagement",
                "CloudCore",
                "CloudTestSupport",
                "CloudModel",
                "CloudStore",
                "Orchestrator",
                "CloudAPI",
                "Coordination",
                "ZooKeeperTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ZooStackCLITests",
            dependencies: ["ZooKeeperTestSupport", "CloudTestSupport", "ClusterHarness", "Coordination"],
            exclude: ["Resources"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ClusterProcessTests",
            dependencies: ["ClusterHarness", "CloudAPI", "Coordination", "ZooKeeperClient", "ZooKeeperProtocol"],
            swiftSettings: strict
        ),
    ]
)
