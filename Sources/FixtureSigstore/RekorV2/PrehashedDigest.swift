import Crypto

/// A SHA-256 digest received as bytes (Rekor v2 `hashedrekord` logs the digest, not the artifact),
/// so swift-crypto can check an ECDSA signature over it without hashing again.
struct PrehashedDigest: Digest {
    static let byteCount = 32
    let bytes: [UInt8]

    init?(_ bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try bytes.withUnsafeBytes(body) }
    func makeIterator() -> IndexingIterator<[UInt8]> { bytes.makeIterator() }
    var description: String { "SHA256 digest: " + RekorEncoding.hex(bytes) }
}
