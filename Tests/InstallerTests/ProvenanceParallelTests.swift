import CurlTransport
import Foundation
import Installer
import NpmModel
import RegistryClient
import Testing
import NpmVerify

/// Several real packages with real provenance, verified in one install (concurrently, on the blocking pool).
@Suite struct ProvenanceParallelTests {
    typealias World = ProvenanceWorld

    /// The repository each recording's provenance names (from its certificate, checked by hand with openssl).
    static let repositories: [String: String] = [
        "gundam-visor": "https://github.com/ramonpetgrave64/gundam-visor",
        "@laurentsimon/provenance-npm-test": "https://github.com/laurentsimon/provenance-npm-test",
        "sigstore": "https://github.com/sigstore/sigstore-js",
        "@trishankatdatadog/supreme-goggles": "https://github.com/trishankatdatadog/supreme-goggles",
    ]

    @Test(.enabled(if: World.hasAllRealTarballs, "needs the real slsa-verifier tarballs ($NPM_REAL_TARBALLS)"))
    func everyRecordedPackageInstallsInOneRunAndSaysWhoBuiltIt() async throws {
        // Two versions of one package cannot share a flat node_modules: keep one recording per name.
        var seen = Set<String>()
        let packages = World.recorded.filter { seen.insert($0.name).inserted }
        #expect(packages.count >= 4)
        try await TestRegistry.with { registry in
            try World.publish(packages, into: registry)
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0"}"#)
            let curl = try CurlHTTPClient(configuration: TransportConfiguration(retry: .none))
            defer { curl.shutdown() }
            let serving = try packages.map { ($0, try World.vector($0.attestationsFile)) }
            let client = RegistryClient(configuration: RegistryConfiguration(registry: registry.url), transport: try World.transport(curl, serving: serving))
            let settings = ProvenanceSettings(trustedRoot: try World.trustedRoot(), requireProvenance: true)
            let report = try await Installer(client: client, cache: ContentCache(root: project.cache), provenance: settings)
                .install(prefix: project.directory, specs: try packages.map { try PackageSpec(parsing: "\($0.name)@\($0.version)") })
            #expect(report.verified.provenance == packages.count)
            for package in packages {
                let installed = try #require(report.packages.first { $0.name == package.name })
                #expect(installed.provenance?.status == .verified, "\(package)")
                #expect(installed.provenance?.builtBy?.repository == Self.repositories[package.name], "\(package)")
                #expect(installed.provenance?.builtBy?.commit?.count == 40, "\(package)")
            }
        }
    }
}
