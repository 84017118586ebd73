import Foundation
import SigstoreVerify
import Testing

/// Single-core throughput of decode + full verification, printed when `SIGSTORE_BENCH` is set (see `make bench`).
@Suite struct ThroughputTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SIGSTORE_BENCH"] != nil))
    func bundlesPerSecond() throws {
        let data = try Vectors.data(MutationTests.dsseBundle)
        let verifier = BundleVerifier(trusted: try TrustedMaterial(jsonData: try Vectors.data(Vectors.productionRoot)))
        let artifact = try MutationTests.artifact
        let count = 500
        let start = ContinuousClock.now
        for _ in 0..<count { _ = try verifier.verify(bundleJSON: data, artifact: artifact, signer: .anyCertificate) }
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        print("throughput: \(Int(Double(count) / seconds)) bundles/s (happy-path-intoto-in-dsse-v3, single core)")
    }
}
