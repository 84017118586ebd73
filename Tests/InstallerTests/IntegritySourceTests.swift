@testable import Installer
import NpmModel
import SafeJSON
import Testing
import Integrity
import OpenSSLCrypto

/// Which integrity an install trusts for a manifest: `integrity`, else legacy `shasum`, else none.
@Suite struct IntegritySourceTests {
    func manifest(_ dist: JSONValue) throws -> Manifest {
        try Manifest(json: ["name": "x", "version": "1.0.0", "dist": dist], context: "test")
    }

    @Test func prefersIntegrityOverShasum() throws {
        let sha512 = "sha512-" + String(repeating: "A", count: 86) + "=="
        let target = try TarballSource.target(for: manifest(["tarball": "http://r/x.tgz", "integrity": .string(sha512),
                                                             "shasum": "0000000000000000000000000000000000000000"])) { _ in
            Issue.record("no warning expected when integrity is present")
        }
        #expect(target.integrity.strongestAlgorithm == .sha512)
    }

    @Test func fallsBackToShasumWithAWarning() throws {
        var warnings: [String] = []
        let target = try TarballSource.target(for: manifest(["tarball": "http://r/x.tgz",
                                                             "shasum": "a9993e364706816aba3e25717850c26c9cd0d89d"])) { warnings.append($0) }
        #expect(target.integrity.strongestAlgorithm == .sha1)
        #expect(warnings.count == 1 && warnings[0].contains("x@1.0.0") && warnings[0].contains("SHA-1"))
    }

    @Test func refusesPackageWithNoIntegrityAtAll() throws {
        #expect { try TarballSource.target(for: manifest(["tarball": "http://r/x.tgz"])) { _ in } } throws: { error in
            (error as? InstallError)?.kind == .verification && "\(error)".contains("x@1.0.0")
        }
    }
}
