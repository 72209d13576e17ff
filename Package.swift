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
        .library(name: "ZooKeeperProtocol", targets: ["ZooKeeperProtocol"]),
        .library(name: "ZooKeeperClient", targets: ["ZooKeeperClient"]),
        .library(name: "ZooKeeperRecipes", targets: ["ZooKeeperRecipes"]),
        .library(name: "ZooKeeperServer", targets: ["ZooKeeperServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
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
            ],
            swiftSettings: strict
        ),
        .target(
            name: "ZooKeeperTestSupport",
            dependencies: [],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "zoostack",
            dependencies: [
                "ZooKeeperProtocol",
                "ZooKeeperClient",
                "ZooKeeperRecipes",
                "ZooKeeperServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
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
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
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
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ZooStackIntegrationTests",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                "ZooKeeperClient",
                "ZooKeeperProtocol",
                "ZooKeeperServer",
                "ZooKeeperTestSupport",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ZooStackCLITests",
            dependencies: ["ZooKeeperTestSupport"],
            swiftSettings: strict
        ),
    ]
)
