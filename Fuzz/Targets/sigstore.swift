import Foundation
import OpenSSLCrypto
import SigstoreModels
import SigstoreVerify

// SigstoreModels/SigstoreVerify: `SigstoreBundle(jsonData:)`, then `BundleVerifier.verify` under the
// public-good trusted root (../shared/vectors/public-good/trusted_root.json, loaded once), with any
// certificate, and with a fixed key for key-signed bundles.
let trusted: TrustedMaterial = {
    let file = fuzzVectors.appendingPathComponent("public-good/trusted_root.json")
    do { return try TrustedMaterial(jsonData: try Data(contentsOf: file)) } catch {
        fatalError("fuzz-sigstore: cannot load the trusted root \(file.path): \(error) (set FUZZ_VECTORS)")
    }
}()
let verifier = BundleVerifier(trusted: trusted)
let fixedKey: PublicKey? = try? PublicKey(pem: """
    -----BEGIN PUBLIC KEY-----
    MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2G2Y+2tabdTV5BcGiBIx0a9fAFwr
    kBbmLSGtks4L3qX6yYY0zufBnhC8Ur/iy55GhWP/9A/bY2LhC30M9+RYtw==
    -----END PUBLIC KEY-----
    """)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = fuzzData(start, count)
    guard let bundle = try? SigstoreBundle(jsonData: data) else {
        _ = try? verifier.verify(bundleJSON: data, artifact: nil, signer: .anyCertificate)
        return 0
    }
    _ = bundle.tlogEntries.count
    _ = try? verifier.verify(bundle, artifact: nil, signer: .anyCertificate)
    _ = try? verifier.verify(bundle, artifact: .bytes(Array("hello, world!\n".utf8)), signer: .anyCertificate)
    if let fixedKey { _ = try? verifier.verify(bundle, artifact: .sha256Digest([UInt8](repeating: 0, count: 32)), signer: .publicKey(fixedKey)) }
    return 0
}
