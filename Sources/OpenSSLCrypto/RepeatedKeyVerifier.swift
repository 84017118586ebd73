internal import COpenSSL
internal import COpenSSLShims

/// An ECDSA P-384 or P-256 key prepared for verifying many signatures: a certificate authority's
/// key over every leaf it issued (one Fulcio leaf per bundle), a log's key over every entry.
///
/// OpenSSL 3.0 has no fast P-384 code, and each verification spends most of its time doubling.
/// With tables of signed 6-bit windows of the key's and the curve generator's multiples (built
/// once, about 6 ms and 0.8 MB), a verification is mostly additions and costs under a quarter as
/// much (about 145 µs against 640 µs). P-256 has assembly with a table for the generator only;
/// OpenSSL's table for the key (about 21 ms to build) takes a verification from 63 µs to 22 µs.
/// The arithmetic and the checks are OpenSSL's (RepeatedKeyECDSA.c), except s^-1 mod n, which
/// OrderInverse.c computes and OpenSSL confirms.
/// Immutable after creation, so it may be shared across threads.
public final class RepeatedKeyVerifier: @unchecked Sendable {
    private let key: OpaquePointer

    /// The curves a key may be prepared for (`PublicKey.Kind` names).
    private static let curves: Set<String> = ["secp384r1", "prime256v1"]

    /// Nil unless `publicKey` is an ECDSA P-384 or P-256 key.
    public init?(_ publicKey: PublicKey) {
        guard case .ecdsa(let curve) = publicKey.kind, Self.curves.contains(curve),
              let key = shim_ecdsa_fixed_key_new(publicKey.pkey) else {
            ERR_clear_error()
            return nil
        }
        self.key = key
    }

    deinit { shim_ecdsa_fixed_key_free(key) }

    /// Whether `signature` (DER) verifies over `digest`, as `ECDSA_verify` decides it.
    public func verify(signature: [UInt8], digest: [UInt8]) -> Bool {
        defer { ERR_clear_error() }
        return shim_ecdsa_fixed_key_verify(key, digest, digest.count, signature, signature.count) == 1
    }
}

extension Certificate {
    /// DER of the AlgorithmIdentifier ecdsa-with-SHA384 (1.2.840.10045.4.3.3, no parameters).
    static let ecdsaWithSHA384: [UInt8] = [0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x03]

    /// Whether `issuer` verifies this certificate's signature, with every check `X509_verify`
    /// makes: the outer and inner signature algorithms agree, no unused bits in the signature,
    /// ECDSA over the SHA-384 of the TBSCertificate as encoded. False also when the certificate is
    /// not signed with plainly encoded ecdsa-with-SHA384: then OpenSSL must decide.
    public func isSigned(by issuer: RepeatedKeyVerifier) -> Bool {
        let der = derBytes
        guard let (parts, items) = encodedElements else { return false }
        let tbs = parts[0]
        let innerAlgorithm = items.first?.tag == 0xA0 ? 2 : 1  // [version,] serial, signature
        let bitString = parts[2]
        guard innerAlgorithm < items.count,
              der[items[innerAlgorithm].start..<items[innerAlgorithm].end].elementsEqual(Self.ecdsaWithSHA384),
              der[parts[1].start..<parts[1].end].elementsEqual(Self.ecdsaWithSHA384),
              bitString.tag == 0x03, bitString.contentStart < bitString.end, der[bitString.contentStart] == 0 else { return false }
        let digest = Digest.hash(.sha384, der[tbs.start..<tbs.end])
        return issuer.verify(signature: Array(der[(bitString.contentStart + 1)..<bitString.end]), digest: digest)
    }
}

extension Certificate {
    /// Whether this certificate's name and key identifiers make it the issuer of `subject`
    /// (`X509_check_issued`); says nothing about the signature.
    public func issued(_ subject: Certificate) -> Bool {
        defer { ERR_clear_error() }
        return X509_check_issued(x509, subject.x509) == X509_V_OK
    }
}
