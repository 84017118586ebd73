import Foundation
import Integrity
import OpenSSLCrypto

// Integrity: `SubresourceIntegrity(_:)` and `fromHexSHA1`, then the queries the installer makes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = fuzzString(start, count)
    _ = try? SubresourceIntegrity.fromHexSHA1(text)
    guard let sri = try? SubresourceIntegrity(text) else { return 0 }
    for algorithm in DigestAlgorithm.allCases {
        if let digest = sri.digest(algorithm) { _ = sri.matches(digest: digest) }
    }
    _ = sri.matches(digest: [])
    _ = sri.disagreements(with: SubresourceIntegrity.of([UInt8]("fuzz".utf8)))
    _ = sri.disagreements(with: sri)
    _ = sri.strongestDescription
    // What the installer writes into package-lock.json must read back.
    precondition((try? SubresourceIntegrity(sri.description)) != nil, "description \(sri.description) does not parse")
    return 0
}
