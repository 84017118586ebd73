import Foundation
import OpenSSLCrypto
import SigstoreVerify
import Testing

/// The sigstore-conformance bundle-verify cases, run like the suite: artifact as a file and as a sha256 digest.
@Suite struct ConformanceTests {
    static let cases: [ConformanceCase] = (try? ConformanceCase.all()) ?? []

    @Test func everyCaseIsCoveredOrListedWithAReason() throws {
        let names = Set(Self.cases.map(\.name))
        #expect(names.count == 70, "cases.json lists \(names.count) cases")
        for name in ConformanceCase.notCovered.keys { #expect(names.contains(name), "unknown excluded case \(name)") }
        let covered = Self.cases.filter { ConformanceCase.notCovered[$0.name] == nil }
        print("conformance: \(covered.filter(\.expectPass).count) pass + \(covered.filter { !$0.expectPass }.count) fail cases covered; \(ConformanceCase.notCovered.count) not covered")
    }

    @Test(arguments: cases.filter { ConformanceCase.notCovered[$0.name] == nil })
    func caseGetsItsVerdict(_ testCase: ConformanceCase) throws {
        let artifactBytes = [UInt8](try Vectors.data(testCase.artifact))
        for artifact in [Artifact.bytes(artifactBytes), .sha256Digest(Digest.hash(.sha256, artifactBytes))] {
            let outcome = Result { try Self.verify(testCase, artifact: artifact) }
            switch (testCase.expectPass, outcome) {
            case (true, .failure(let error)): Issue.record("\(testCase.name) must pass, failed: \(error)")
            case (false, .success): Issue.record("\(testCase.name) must fail, passed")
            case (false, .failure(let error)): if ProcessInfo.processInfo.environment["SIGSTORE_VERBOSE"] != nil { print("VERDICT \(testCase.name): \(error)") }
            default: break
            }
        }
    }

    static func verify(_ testCase: ConformanceCase, artifact: Artifact) throws {
        let trusted = try TrustedMaterial(jsonData: try Vectors.data(testCase.trustedRoot ?? Vectors.productionRoot))
        let signer: BundleVerifier.SignerPolicy
        if let key = testCase.key {
            signer = .publicKey(try PublicKey(pem: String(decoding: try Vectors.data(key), as: UTF8.self)))
        } else {
            signer = .certificate(IdentityPolicy(subjectAlternativeName: .exact(testCase.identity), issuer: testCase.issuer))
        }
        _ = try BundleVerifier(trusted: trusted).verify(bundleJSON: try Vectors.data(testCase.bundle), artifact: artifact, signer: signer)
    }

    @Test func artifactArgumentIsAFileOrASHA256Digest() throws {
        let file = Vectors.url("sigstore-conformance/bundle-verify/a.txt").path
        guard case .bytes(let bytes) = try Artifact.parse(fileOrDigest: file) else { Issue.record("expected file bytes"); return }
        let hex = Digest.hash(.sha256, bytes).map { String(format: "%02x", $0) }.joined()
        guard case .sha256Digest(let digest) = try Artifact.parse(fileOrDigest: "sha256:" + hex) else { Issue.record("expected a digest"); return }
        #expect(digest == Digest.hash(.sha256, bytes))
        for bad in ["sha256:abc", "sha512:" + hex, "/no/such/file", "sha256:" + hex + "00"] {
            #expect(throws: VerificationError.self) { try Artifact.parse(fileOrDigest: bad) }
        }
    }
}
