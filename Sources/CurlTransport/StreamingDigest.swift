// MARK: - StreamingDigest

/// A hash fed with response-body chunks as they arrive, so a large download is
/// hashed without a second pass (e.g. an OpenSSL SHA-512 from another module).
///
/// ``CurlHTTPClient`` asks its factory for a fresh instance per attempt and uses
/// it from its transfer thread only, so an implementation needs no locking.
/// The bytes fed are the body as delivered by libcurl, i.e. after content
/// decoding (see ``HTTPResponse/bodyDigest``).
public protocol StreamingDigest: AnyObject {
    /// Adds the next chunk of body bytes.
    func update(_ bytes: UnsafeRawBufferPointer)
    /// Returns the digest of every byte passed to ``update(_:)``. Called once.
    func finalize() -> [UInt8]
}
