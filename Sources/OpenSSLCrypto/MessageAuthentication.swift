internal import COpenSSL

/// HMAC-SHA256 (RFC 2104) and a secret to key it, through OpenSSL: how verify-install recognises
/// what it wrote itself into a folder others may write too (the attestation cache).
public enum MessageAuthentication {
    /// The 32-byte HMAC-SHA256 of `message` under `key`.
    public static func hmacSHA256(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let done = key.withUnsafeBytes { key in
            message.withUnsafeBytes { message in
                out.withUnsafeMutableBytes { out in
                    HMAC(DigestAlgorithm.sha256.evp, key.baseAddress, Int32(key.count), message.baseAddress?.assumingMemoryBound(to: UInt8.self),
                         message.count, out.baseAddress?.assumingMemoryBound(to: UInt8.self), &length)
                }
            }
        }
        // OpenSSL fails here only when it cannot compute SHA-256 at all, which start-up checks.
        precondition(done != nil && length == 32, "HMAC-SHA256 failed: \(OpenSSLError.drain())")
        return out
    }

    /// Whether two tags are equal, compared in constant time.
    public static func tagsEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.count == b.count && a.withUnsafeBytes { a in b.withUnsafeBytes { b in CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) == 0 } }
    }

    /// `count` bytes from OpenSSL's CSPRNG; nil when it cannot give them.
    public static func randomBytes(_ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let ok = bytes.withUnsafeMutableBytes { RAND_bytes($0.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(count)) }
        return ok == 1 ? bytes : nil
    }
}
