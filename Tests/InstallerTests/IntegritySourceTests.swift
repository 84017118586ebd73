@testable import Installer
import NpmModel
import SafeJSON
import Testing
import Integrity
import OpenSSLCrypto
import Foundation

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
        #expect(report.warnings == ["weak@1.0.0: only a legacy SHA-1 digest binds its bytes (sha1-qZk+NkcGgWq6PiVxeFDCbJzQ2J0=); no lockfile or registry claim offers a stronger one"])
    }
}
