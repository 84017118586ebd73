import Foundation
import OpenSSLCrypto

// OpenSSLCrypto: `Certificate(der:)`, `Certificate.parsePEM`, `PublicKey(spkiDER:)`, `PublicKey(pem:)`,
// `RFC3161Timestamp(der:)` and the accessors the verifier reads (extensions, SANs, SCT list).
func exercise(_ certificate: Certificate) {
    _ = certificate.subject
    _ = certificate.issuer
    _ = certificate.notBefore
    _ = certificate.notAfter
    _ = certificate.isSelfSigned
    _ = certificate.extensions
    _ = certificate.keyUsage
    _ = certificate.extendedKeyUsage
    _ = certificate.isCertificateAuthority
    _ = certificate.subjectAlternativeNames
    _ = try? certificate.tbsDER()
    _ = try? certificate.precertificateTBS()
    _ = try? certificate.subjectPublicKeyInfoDER()
    if let sctList = certificate.extensionValue(oid: OID.embeddedSCTList) {
        _ = try? SignedCertificateTimestamp.parseList(extensionValue: sctList)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = fuzzBytes(start, count)
    if let certificate = try? Certificate(der: bytes) { exercise(certificate) }
    if let key = try? PublicKey(spkiDER: bytes) {
        _ = key.spkiDER
        _ = key.verify(signature: bytes, message: bytes, digest: .sha256)
    }
    if let timestamp = try? RFC3161Timestamp(der: bytes) {
        _ = timestamp.time
        _ = try? timestamp.verify(data: bytes, chain: [])
    }
    _ = try? SignedCertificateTimestamp.parseList(extensionValue: bytes)
    let text = String(decoding: bytes, as: UTF8.self)
    _ = try? PublicKey(pem: text)
    for certificate in (try? Certificate.parsePEM(text)) ?? [] { exercise(certificate) }
    return 0
}
