import Foundation
import OpenSSLCrypto
import SigstoreModels
import SigstoreVerify

// SigstoreModels/SigstoreVerify: `SigstoreBundle(jsonData:)`, then `BundleVerifier.verify` under the
// public-good trusted root (../shared/vectors/public-good/trusted_root.json, loaded once), with any
// certificate, and with the conformance suite's managed key for key-signed bundles.
let trusted: TrustedMaterial = {
    let file = fuzzVectors.appendingPathComponent("public-good/trusted_root.json")
    do { return try TrustedMaterial(jsonData: try Data(contentsOf: file)) } catch {
        fatalError("fuzz-sigstore: cannot load the trusted root \(file.path): \(error) (set FUZZ_VECTORS)")
    }
}()
let verifier = BundleVerifier(trusted: trusted)
// The conformance suite's managed key, for key-signed bundles (managed-key-* cases).
let fixedKey: PublicKey? = {
    let file = fuzzVectors.appendingPathComponent("sigstore-conformance/bundle-verify/managed-key-happy-path/key.pub")
    return (try? String(contentsOf: file, encoding: .utf8)).flatMap { try? PublicKey(pem: $0) }
}()

// The conformance suite's default artifact.
let artifact: [UInt8] = (try? Data(contentsOf: fuzzVectors.appendingPathComponent("sigstore-conformance/bundle-verify/a.txt")))
    .map { [UInt8]($0) } ?? []

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = fuzzData(start, count)
    guard let bundle = try? SigstoreBundle(jsonData: data) else {
        _ = try? verifier.verify(bundleJSON: data, artifact: nil, signer: .anyCertificate)
        return 0
    }
    _ = bundle.tlogEntries.count
    _ = try? verifier.verify(bundle, artifact: nil, signer: .anyCertificate)
    _ = try? verifier.verify(bundle, artifact: .bytes(artifact), signer: .anyCertificate)
    if let fixedKey { _ = try? verifier.verify(bundle, artifact: .bytes(artifact), signer: .publicKey(fixedKey)) }
    return 0
}
