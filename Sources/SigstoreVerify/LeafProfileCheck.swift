public import OpenSSLCrypto
import CodedError

/// The Fulcio code-signing leaf profile (PROTOCOLS §5.1): not a CA, KeyUsage
/// digitalSignature, ExtendedKeyUsage codeSigning; and identity extensions that read one way only.
public struct LeafProfileCheck: Sendable {
    public init() {}

    public func verify(_ leaf: Certificate) throws {
        guard !leaf.isCertificateAuthority, !leaf.isSelfSigned else {
            throw VerificationError(.leafProfile, "expected an end-entity signing certificate, found a CA certificate (\(leaf.subject))")
        }
        guard let usage = leaf.keyUsage, usage.contains(.digitalSignature) else {
            throw VerificationError(.leafProfile, "expected KeyUsage digitalSignature on the signing certificate")
        }
        guard leaf.extendedKeyUsage.contains(OID.codeSigning) else {
            throw VerificationError(.leafProfile, "expected ExtendedKeyUsage codeSigning, found \(leaf.extendedKeyUsage)")
        }
        try verifyIdentityExtensions(leaf.extensions)
    }

    /// Found by review: readers disagreed on who built a package when a leaf carried an identity
    /// extension twice (one reader kept the first, another the last), a v2 field that is not a
    /// UTF8String (we fell back to the legacy field, Go's asn1 reads it), or two OIDC issuers.
    /// RFC 5280 §4.2 allows one instance of each extension; OpenSSL enforces that only for the
    /// extensions it knows, Go's crypto/x509 (sigstore-go, Rekor) for all.
    func verifyIdentityExtensions(_ extensions: [Certificate.Extension]) throws {
        var seen: Set<String> = []
        for ext in extensions where !seen.insert(ext.oid).inserted {
            throw VerificationError(.leafProfile, "expected each extension once in the signing certificate, found \(ext.oid) twice")
        }
        let prefix = "1.3.6.1.4.1.57264.1."
        var legacyIssuer: [UInt8]?, issuer: String?
        for ext in extensions where ext.oid.hasPrefix(prefix) {
            guard let number = Int(ext.oid.dropFirst(prefix.count)) else { continue }
            if number == 1 { legacyIssuer = ext.value }
            guard number >= 8 else { continue }
            guard let text = FulcioIdentity.utf8String(ext.value) else {
                throw VerificationError(.leafProfile, "expected extension \(ext.oid) of the signing certificate to be a DER UTF8String, found \(ext.value.prefix(1).map { "tag 0x" + String($0, radix: 16) }.first ?? "no bytes")")
            }
            if number == FulcioIdentity.Field.issuerV2.rawValue { issuer = text }
        }
        if let legacyIssuer, let issuer, !legacyIssuer.elementsEqual(issuer.utf8) {
            throw VerificationError(.leafProfile, "expected the signing certificate's OIDC issuer extensions to agree, found \(String(decoding: legacyIssuer, as: UTF8.self)) (1.3.6.1.4.1.57264.1.1) and \(issuer) (1.3.6.1.4.1.57264.1.8)")
        }
    }
}
