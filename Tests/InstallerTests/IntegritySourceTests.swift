@testable import Installer
import NpmModel
import SafeJSON
import Testing
import Integrity
import OpenSSLCrypto
import Foundation
import RegistryClient
import FixtureTesting
import CurlTransport
import Crypto
import FixtureRegistry

/// Which integrity an install trusts for a manifest: `integrity`, else legacy `shasum`, else none.
@Suite struct IntegritySourceTests {
    func manifest(_ dist: JSONValue) throws -> Manifest {
        try Manifest(json: ["name": "x", "version": "1.0.0", "dist": dist], context: "test")
    }

    @Test func prefersIntegrityOverShasum() throws {
        let sha512 = "sha512-" + String(repeating: "A", count: 86) + "=="
        let target = try TarballSource.target(for: manifest(["tarball": "http://r/x.tgz", "integrity": .string(sha512),
                                                             "shasum": "0000000000000000000000000000000000000000"]))
        #expect(target.integrity.strongestAlgorithm == .sha512)
    }

    @Test func fallsBackToShasum() throws {
        let target = try TarballSource.target(for: manifest(["tarball": "http://r/x.tgz", "shasum": "a9993e364706816aba3e25717850c26c9cd0d89d"]))
        #expect(target.integrity.strongestAlgorithm == .sha1)
    }

    @Test func refusesPackageWithNoIntegrityAtAll() throws {
        #expect { try TarballSource.target(for: manifest(["tarball": "http://r/x.tgz"])) } throws: { error in
            (error as? InstallError)?.kind == .verification && "\(error)".contains("x@1.0.0")
        }
    }

    /// Found by review: a registry serving `dist.integrity: sha1-…`, or a lockfile locking only a
    /// SHA-1, installed silently with `legacySHA1Only: 0`. Where no claim offers more than SHA-1,
    /// the report counts and names the package, whatever the claim came from.
    @Test func packagesBoundBySHA1AloneAreCountedAndNamed() throws {
        let sha1 = try SubresourceIntegrity("sha1-qZk+NkcGgWq6PiVxeFDCbJzQ2J0=")
        let sha512 = try SubresourceIntegrity("sha512-" + String(repeating: "A", count: 86) + "==")
        func planned(_ name: String, _ integrity: SubresourceIntegrity, claims: [SubresourceIntegrity] = []) -> PlannedPackage {
            var package = PlannedPackage(index: 0, location: "node_modules/\(name)",
                                         target: TarballTarget(name: name, version: "1.0.0", url: "http://r/\(name).tgz", integrity: integrity),
                                         lockEntry: Lockfile.Entry())
            package.claims = claims.map { IntegrityClaim($0, "test") }
            return package
        }
        let run = InstallRun("ci", prefix: URL(fileURLWithPath: "/nonexistent"), registry: "http://r/", provenance: ProvenanceSettings(),
                             pool: BlockingPool(width: 1), progress: { _ in })
        let report = run.report(planned: [planned("weak", sha1, claims: [sha1]), planned("strong", sha1, claims: [sha512])],
                                outcomes: nil, lockfile: nil)
        #expect(report.verified.legacySHA1Only == 1)
        // Found by review: `ci` keeps the lockfile, and `npm ci` checks its SHA-1 alone.
        #expect(report.warnings == ["weak@1.0.0: only a legacy SHA-1 digest binds its bytes (sha1-qZk+NkcGgWq6PiVxeFDCbJzQ2J0=); no lockfile or registry claim offers a stronger one",
                                    "strong@1.0.0 at node_modules/strong: the lockfile records only a SHA-1 digest (sha1-qZk+NkcGgWq6PiVxeFDCbJzQ2J0=); its bytes matched the registry's stronger one here, but `npm ci` will check SHA-1 alone: re-lock it (`verify-install install` writes sha512)"])
    }

    /// Found by review: a `sha1-` lockfile entry let `npm ci` check SHA-1 alone. The lockfile leads
    /// with the SHA-512 of the bytes verified wherever the registry's integrity has none.
    @Test func theLockfileLeadsWithTheSHA512OfTheVerifiedBytes() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("weak", "1.0.0")
            let curl = try CurlHTTPClient(configuration: TransportConfiguration(retry: .none))
            defer { curl.shutdown() }
            // A registry of old, as before signatures: SHA-1 only, and no keys.
            let sha1Only = TamperingTransport(inner: curl) { url, status, body in
                if url.hasSuffix("/-/npm/v1/keys") { return (404, Data()) }
                return url.hasSuffix("/weak") ? (status, TamperingTransport.editDist(body, version: "1.0.0") { $0["integrity"] = nil }) : (status, body)
            }
            let project = try TestProject(packageJSON: #"{"name":"app","version":"1.0.0","dependencies":{"weak":"1.0.0"}}"#)
            let client = RegistryClient(configuration: RegistryConfiguration(registry: registry.url), transport: sha1Only)
            _ = try await Installer(client: client, cache: ContentCache(root: project.cache)).install(prefix: project.directory, specs: [])
            let integrity = try #require(try project.lockfile().packages["node_modules/weak"]?.integrity)
            let tarball = try #require(try registry.storage.tarball(for: FixtureRegistry.PackageName("weak"), version: "1.0.0"))
            #expect(integrity == SubresourceIntegrity.of(tarball).description + " sha1-" + Data(Insecure.SHA1.hash(data: tarball)).base64EncodedString())
            let again = try await project.ci(registry)
            #expect(again.packages.count == 1, "ci reads the lockfile it wrote")
        }
        let sha512 = SubresourceIntegrity.of(Data("a".utf8)).description, sha1 = "sha1-qZk+NkcGgWq6PiVxeFDCbJzQ2J0="
        let identity = SubresourceIntegrity.of(Data("c".utf8)).description
        #expect(Installer.lockedIntegrity("\(sha512) \(sha1)", identity: identity) == "\(sha512) \(sha1)")
        #expect(Installer.lockedIntegrity(sha1, identity: identity) == "\(identity) \(sha1)")
        #expect(Installer.lockedIntegrity(nil, identity: identity) == identity)
        // Found by review: a tab-separated string holding SHA-512 was led by a second one, which ci refused.
        #expect(Installer.lockedIntegrity("\(sha1)\t\(sha512)", identity: identity) == "\(sha1)\t\(sha512)")
    }
}
