internal import COpenSSL

/// The hash functions npm and Sigstore use.
public enum DigestAlgorithm: String, Sendable, CaseIterable {
    case sha1, sha256, sha384, sha512

    /// Output size in bytes.
    public var byteCount: Int {
        switch self {
        case .sha1: 20
        case .sha256: 32
        case .sha384: 48
        case .sha512: 64
        }
    }

    /// OpenSSL's name of the digest, for a fetch in another library context.
    var name: String { rawValue.uppercased() }

    /// The digest, fetched once from the default provider: the `EVP_sha256()`-style constants make
    /// OpenSSL 3 fetch the implementation again (under its store lock) on every context init.
    var evp: OpaquePointer {
        switch self {
        case .sha1: FetchedDigest.sha1
        case .sha256: FetchedDigest.sha256
        case .sha384: FetchedDigest.sha384
        case .sha512: FetchedDigest.sha512
        }
    }
}

extension DigestAlgorithm {
    /// Why this process's OpenSSL cannot compute every digest, or nil when it can. A configuration
    /// (`OPENSSL_CONF`, openssl.cnf) may leave it none, e.g. `default_properties = fips=yes`
    /// without the FIPS provider; checked at start-up, a run stops with this reason instead of
    /// trapping in `Digest` halfway through.
    public static func unavailable() -> String? {
        for algorithm in allCases {
            guard let context = EVP_MD_CTX_new() else { return "out of memory" }
            defer { EVP_MD_CTX_free(context) }
            guard EVP_DigestInit_ex(context, algorithm.evp, nil) == 1 else {
                return "OpenSSL cannot compute \(algorithm.rawValue.uppercased()) in this configuration (\(OpenSSLError.drain())): check OPENSSL_CONF and openssl.cnf (a FIPS default property needs the FIPS provider)"
            }
        }
        return nil
    }
}

/// Explicitly fetched `EVP_MD`s, kept for the life of the process (the same implementations the
/// legacy constants resolve to; a failed fetch falls back to the constant).
private enum FetchedDigest {
    nonisolated(unsafe) static let sha1: OpaquePointer = EVP_MD_fetch(nil, "SHA1", nil) ?? EVP_sha1()
    nonisolated(unsafe) static let sha256: OpaquePointer = EVP_MD_fetch(nil, "SHA256", nil) ?? EVP_sha256()
    nonisolated(unsafe) static let sha384: OpaquePointer = EVP_MD_fetch(nil, "SHA384", nil) ?? EVP_sha384()
    nonisolated(unsafe) static let sha512: OpaquePointer = EVP_MD_fetch(nil, "SHA512", nil) ?? EVP_sha512()
}

/// An incremental OpenSSL digest (`EVP_MD_CTX`), fed as bytes stream in.
///
/// Owns its context; `finalize()` may be called once.
public final class Digest {
    public let algorithm: DigestAlgorithm
    private let context: OpaquePointer
    private var finished = false

    public init(_ algorithm: DigestAlgorithm) {
        self.algorithm = algorithm
        guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed: out of memory") }
        guard EVP_DigestInit_ex(context, algorithm.evp, nil) == 1 else {
            fatalError("EVP_DigestInit_ex(\(algorithm)) failed: \(OpenSSLError.drain())")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Adds bytes to the running hash.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        precondition(!finished, "Digest.update after finalize")
        guard bytes.count > 0, let base = bytes.baseAddress else { return }
        guard EVP_DigestUpdate(context, base, bytes.count) == 1 else {
            fatalError("EVP_DigestUpdate failed: \(OpenSSLError.drain())")
        }
    }

    public func update<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done == nil { Array(bytes).withUnsafeBytes { update($0) } }
    }

    /// Returns the digest; the object cannot be fed afterwards.
    public func finalize() -> [UInt8] {
        precondition(!finished, "Digest.finalize called twice")
        finished = true
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &out, &length) == 1 else {
            fatalError("EVP_DigestFinal_ex failed: \(OpenSSLError.drain())")
        }
        return Array(out.prefix(Int(length)))
    }

    /// One-shot hash of a whole buffer.
    public static func hash<Bytes: Sequence<UInt8>>(_ algorithm: DigestAlgorithm, _ bytes: Bytes) -> [UInt8] {
        let digest = Digest(algorithm)
        digest.update(bytes)
        return digest.finalize()
    }
}

/// Compares two byte strings in time independent of where they differ.
public func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    if a.isEmpty { return true }
    return a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in CRYPTO_memcmp(pa.baseAddress, pb.baseAddress, a.count) == 0 } }
}
