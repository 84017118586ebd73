// swift-tools-version: 6.1
// The npm supply-chain verification harness: a consumer that installs and
// verifies npm packages (libcurl, OpenSSL, libarchive), and a fixture world
// (Hummingbird) that the consumer and the real npm CLI are tested against.
import PackageDescription

let package = Package(
    name: "mochi-npm-verify",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "verify-install", targets: ["VerifyInstallCLI"]),
        .executable(name: "fixture-registry", targets: ["FixtureRegistryCLI"]),
        .executable(name: "mochi-pkg", targets: ["MochiPkgCLI"]),
        .executable(name: "verify-bench", targets: ["VerifyBench"]),
        .executable(name: "mochi-matrix", targets: ["MatrixCLI"]),
        .executable(name: "tuf-conformance-client", targets: ["TUFConformanceClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // MARK: - C libraries (system-library targets) and one-line shims
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .target(name: "CCurlShims", dependencies: ["CCurl"]),
        .target(name: "COpenSSLShims", dependencies: ["COpenSSL"]),

        // MARK: - Thin wrappers: the only modules that touch C
        .target(name: "CurlTransport", dependencies: ["CCurl", "CCurlShims", "CodedError"]),
        .target(name: "OpenSSLCrypto", dependencies: ["COpenSSL", "COpenSSLShims"]),
        .target(name: "LibArchive", dependencies: ["CArchive"]),

        // MARK: - One error shape (a leaf: no dependencies)
        .target(name: "CodedError"),

        // MARK: - Every tool's usage errors end with its documented exit code (on ArgumentParser only)
        .target(name: "CommandLineExit", dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")]),

        // MARK: - Hexadecimal text for bytes (a leaf: no dependencies)
        .target(name: "Hex"),

        // MARK: - Crash-safe file writes (a leaf: no dependencies)
        .target(name: "DurableFile"),

        // MARK: - Child processes (posix_spawn; no Foundation.Process, no Dispatch sources)
        .target(name: "ChildProcess"),

        // MARK: - Consumer side
        .target(name: "Semver", dependencies: ["CodedError"]),
        .target(name: "SafeJSON"),
        .target(name: "Integrity", dependencies: ["OpenSSLCrypto", "Hex"]),
        .target(name: "NpmModel", dependencies: ["SafeJSON", "Semver", "CodedError", "Hex"]),
        .target(name: "Tarball", dependencies: ["LibArchive", "Integrity", "CodedError", "DurableFile"]),
        .target(name: "RegistryClient", dependencies: [
            "NpmModel", "CurlTransport", "OpenSSLCrypto", "Integrity", "SafeJSON", "CodedError", "DurableFile",
        ]),
        .target(name: "SigstoreModels", dependencies: ["SafeJSON"]),
        .target(name: "SigstoreVerify", dependencies: ["SigstoreModels", "OpenSSLCrypto", "CodedError", "Hex"]),
        .target(name: "NpmVerify", dependencies: [
            "SigstoreVerify", "SigstoreModels", "NpmModel", "OpenSSLCrypto", "SafeJSON", "Integrity", "TUF", "RegistryClient",
            "CodedError", "DurableFile", "Semver",
        ]),
        .target(name: "Installer", dependencies: [
            "RegistryClient", "NpmModel", "NpmVerify", "SigstoreVerify", "Semver", "Integrity", "Tarball", "OpenSSLCrypto",
            "SafeJSON",
            "CodedError", "DurableFile",
        ]),

        .target(name: "Audit", dependencies: [
            "RegistryClient", "NpmVerify", "NpmModel", "SigstoreVerify", "SigstoreModels", "SafeJSON", "CurlTransport",
            "Integrity", "LockfileFormats", "LockfileVerify", "Semver",
            "CodedError", "DurableFile",
        ]),

        .target(name: "LockfileFormats", dependencies: ["NpmModel", "SafeJSON", "Semver", "DurableFile", .product(name: "Yams", package: "Yams")]),
        .target(name: "LockfileVerify", dependencies: [
            "LockfileFormats", "RegistryClient", "NpmVerify", "NpmModel", "Integrity", "SigstoreVerify", "SafeJSON",
            "OpenSSLCrypto", "CodedError", "Semver",
        ]),

        // MARK: - Fixture side
        // The one reader of `$MOCHI_REGISTRY_*`: where seeds, config, keys, scenarios and recordings are.
        .target(name: "FixtureLayout"),
        .target(name: "FixtureRegistry", dependencies: [
            "SafeJSON", "Semver", "Tarball", "Hex", "DurableFile",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .target(name: "FixtureSigstore", dependencies: [
            .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"), "SafeJSON", "CodedError", "Hex", "DurableFile",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "JWTKit", package: "jwt-kit"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        // Fault injection behind the registry's `RegistryFaultHook`: plans, scenarios, the control port.
        .target(name: "FixtureFaults", dependencies: [
            "FixtureRegistry", "SafeJSON",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        // The world's TUF repository (npm's and Sigstore's targets) and the TLS-terminating CONNECT proxy.
        .target(name: "FixtureTUF", dependencies: [
            "SafeJSON", "TUF",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOTLS", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        .target(name: "Publish", dependencies: [
            .product(name: "SwiftASN1", package: "swift-asn1"), "Tarball", "NpmModel", "SafeJSON", "SigstoreModels", "CurlTransport", "CodedError",
            "Hex", .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "X509", package: "swift-certificates"),
        ]),
        .target(name: "Harness", dependencies: [
            "SafeJSON", "NpmModel", "CurlTransport", "CodedError", "FixtureRegistry", "FixtureFaults", "FixtureSigstore",
            "FixtureTUF", "FixtureLayout", "Publish", "Hex", "SigstoreVerify", .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),

        // `fixture-registry record` and its replay: one OIDC token exchange, recorded byte for byte.
        .target(name: "RecordedFlows", dependencies: ["Harness", "FixtureRegistry", "FixtureSigstore", "CurlTransport", "SafeJSON", "Hex"]),

        // MARK: - TUF client (spec section 5) and its tuf-conformance CLI
        .target(name: "TUF", dependencies: ["CurlTransport", "OpenSSLCrypto", "SafeJSON", "CodedError", "Hex", "DurableFile"]),
        .executableTarget(name: "TUFConformanceClient", dependencies: ["TUF", "DurableFile"], exclude: ["xfails.txt"]),
        .testTarget(name: "TUFTests", dependencies: [
            "TUF", "Hex", "SafeJSON", "FixtureTesting", .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // MARK: - Executables
        .executableTarget(name: "VerifyInstallCLI", dependencies: [
            "RegistryClient", "NpmModel", "CurlTransport", "CodedError", "Installer", "Audit", "NpmVerify",
            "SigstoreVerify", "SigstoreModels", "OpenSSLCrypto", "SafeJSON", "ChildProcess",
            "LockfileFormats", "LockfileVerify", "Semver", "DurableFile", "CommandLineExit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "FixtureRegistryCLI", dependencies: [
            "SafeJSON", "FixtureRegistry", "FixtureFaults", "FixtureSigstore", "FixtureLayout", "Harness", "Publish",
            "RecordedFlows",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .executableTarget(name: "MochiPkgCLI", dependencies: [
            "FixtureSigstore", "CodedError", "Publish", "Harness", "CurlTransport", "SigstoreModels", "CommandLineExit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .target(name: "Matrix", dependencies: ["Harness", "FixtureRegistry", "FixtureFaults", "Publish", "ChildProcess", "SafeJSON"]),
        .executableTarget(name: "MatrixCLI", dependencies: [
            "Matrix",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "VerifyBench", dependencies: [
            "SigstoreVerify", "SigstoreModels", "OpenSSLCrypto",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // MARK: - Tests
        .testTarget(name: "SemverTests", dependencies: ["CodedError", "Semver", "FixtureTesting", "SafeJSON"], exclude: ["Fixtures"]),
        .testTarget(name: "TarballTests", dependencies: ["Tarball", "Integrity", "LibArchive", "ChildProcess", "FixtureTesting"]),
        .testTarget(name: "ChildProcessTests", dependencies: ["ChildProcess", "FixtureTesting"]),
        .testTarget(name: "CurlTransportTests", dependencies: [
            "CurlTransport", "FixtureTesting",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .testTarget(name: "NpmModelTests", dependencies: [
            "SafeJSON", "CodedError", "NpmModel", "Integrity", "OpenSSLCrypto", "FixtureTesting",
        ]),
        .testTarget(name: "OpenSSLCryptoTests", dependencies: [
            "OpenSSLCrypto", "FixtureTesting", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "SigstoreVerifyTests", dependencies: [
            "CodedError", "SigstoreVerify", "SigstoreModels", "OpenSSLCrypto", "SafeJSON", "FixtureTesting",
        ]),
        .testTarget(name: "NpmVerifyTests", dependencies: [
            "OpenSSLCrypto", "CodedError", "NpmVerify", "NpmModel", "SafeJSON", "SigstoreVerify", "FixtureTesting", "TUF", "FixtureTUF",
        ]),
        .testTarget(name: "SafeJSONTests", dependencies: ["SafeJSON", "FixtureTesting"]),
        .testTarget(name: "DurableFileTests", dependencies: ["DurableFile", "FixtureTesting"]),
        .testTarget(name: "RegistryClientTests", dependencies: ["CodedError", "CurlTransport", "RegistryClient", "NpmModel", "FixtureTesting", "Integrity"]),
        .testTarget(name: "FixtureRegistryTests", dependencies: [
            .product(name: "HTTPTypes", package: "swift-http-types"), "CodedError", "FixtureRegistry", "FixtureFaults",
            "SafeJSON", "Tarball", "FixtureTesting", "CurlTransport", "Installer", "NpmModel",
            "RegistryClient", "NpmVerify", "SigstoreModels", "ChildProcess",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        // One test support module for every test target: repository layout, built products, scratch
        // folders, the `.requires(.npm)` / `.requires(.venv)` trait and the process runner.
        .target(name: "FixtureTesting", dependencies: ["ChildProcess", "RegistryClient", "CurlTransport", "SafeJSON"], path: "Tests/FixtureTesting"),
        .testTarget(name: "AuditTests", dependencies: [
            "OpenSSLCrypto", "CodedError", "Audit", "Installer", "FixtureRegistry", "NpmVerify", "RegistryClient",
            "CurlTransport", "Integrity", "NpmModel",
            "SafeJSON", "FixtureTesting", "SigstoreVerify", "FixtureSigstore", "FixtureTUF",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .testTarget(name: "PublishTests", dependencies: [
            .product(name: "HTTPTypes", package: "swift-http-types"), "CodedError", "Publish", "SafeJSON", "SigstoreModels",
            "CurlTransport", "FixtureTesting",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "MatrixTests", dependencies: ["Matrix", "Harness", "FixtureTesting", .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "SyntheticProvenanceTests", dependencies: [
            "CodedError", "Harness", "FixtureRegistry", "FixtureSigstore", "Publish", "NpmVerify", "SigstoreVerify", "SafeJSON",
            "CurlTransport", "Tarball",
            "FixtureTesting",
        ]),
        .testTarget(name: "ScenarioTests", dependencies: [
            "Harness", "FixtureRegistry", "FixtureFaults", "Matrix", "FixtureTesting",
        ]),
        .testTarget(name: "VerifyBenchTests", dependencies: ["VerifyBench", "FixtureTesting"]),
        .testTarget(name: "GateTests", dependencies: [
            "FixtureTUF", "CodedError", "Harness", "RecordedFlows", "FixtureRegistry", "FixtureSigstore", "Publish",
            "NpmVerify", "SigstoreVerify", "SigstoreModels",
            "OpenSSLCrypto", "SafeJSON", "CurlTransport", "FixtureTesting",
            .product(name: "Yams", package: "Yams"),
        ]),
        .testTarget(name: "FixtureSigstoreTests", dependencies: [
            .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"), "CodedError", "FixtureSigstore",
            "FixtureTUF", "SafeJSON", "FixtureTesting", "SigstoreModels", "SigstoreVerify", "OpenSSLCrypto",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .testTarget(name: "VerifyCommandTests", dependencies: ["NpmVerify", "SafeJSON", "OpenSSLCrypto", "FixtureTesting"],
                    exclude: ["HelpSnapshots"]),
        .testTarget(name: "RekorV2WorldTests", dependencies: [
            "CodedError", "Harness", "Publish", "SigstoreVerify", "SigstoreModels",
            "SafeJSON", "CurlTransport", "FixtureTesting", "OpenSSLCrypto",
        ]),
        .testTarget(name: "InstallerTests", dependencies: [
            "FixtureSigstore", "Installer", "Harness", "FixtureRegistry", "FixtureFaults", "NpmModel", "RegistryClient",
            "CurlTransport", "Tarball", "SafeJSON",
            "FixtureTesting", "NpmVerify", "SigstoreVerify", "Integrity", "OpenSSLCrypto", "ChildProcess", "Semver",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "LockfileFormatsTests", dependencies: ["OpenSSLCrypto", "LockfileFormats", "Integrity", "FixtureTesting", "SafeJSON"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "LockfileVerifyTests", dependencies: [
            "LockfileVerify", "LockfileFormats", "Harness", "RegistryClient", "CurlTransport", "NpmVerify",
            "SigstoreVerify", "SafeJSON", "FixtureTesting",
        ], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)

// The consumer never reaches the fixture world's signing stack.
let consumerModules: Set<String> = ["CodedError", "Hex", "DurableFile", "SafeJSON", "CurlTransport", "OpenSSLCrypto", "LibArchive", "Semver", "Integrity",
                                    "NpmModel", "Tarball", "RegistryClient", "Installer", "Audit",
                                    "SigstoreModels", "SigstoreVerify", "NpmVerify", "TUF",
                                    "LockfileFormats", "LockfileVerify", "VerifyInstallCLI", "CommandLineExit"]
let forbiddenForConsumer: Set<String> = ["Hummingbird", "Crypto", "_CryptoExtras", "X509", "JWTKit", "NIOSSL",
                                          "FixtureRegistry", "FixtureSigstore", "FixtureTUF", "Harness", "Publish",
                                          "RecordedFlows", "FixtureLayout", "FixtureFaults"]
for target in package.targets where consumerModules.contains(target.name) {
    for dependency in target.dependencies {
        let name: String
        switch dependency {
        case .targetItem(let n, _), .byNameItem(let n, _): name = n
        case .productItem(let n, _, _, _): name = n
        @unknown default: continue
        }
        precondition(!forbiddenForConsumer.contains(name), "\(target.name) must not depend on \(name)")
    }
}

// Imports are explicit and internal unless marked `public import`: a module uses only what it
// imports, and the manifest's dependency lists equal the imports (scripts/check-imports.py).
let strictImports: [SwiftSetting] = [
    .enableUpcomingFeature("MemberImportVisibility"), .enableUpcomingFeature("InternalImportsByDefault"),
]
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + strictImports
}
