public import OpenSSLCrypto
import CodedError

/// The Fulcio code-signing leaf profile (PROTOCOLS §5.1): not a CA, KeyUsage
/// digitalSignature, ExtendedKeyUsage codeSigning.
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
    }
}
