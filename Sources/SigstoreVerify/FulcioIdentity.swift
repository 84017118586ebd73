public import OpenSSLCrypto

/// The signer identity read from a Fulcio leaf: SAN and the 1.3.6.1.4.1.57264.1.* extensions (PROTOCOLS §5.2).
public struct FulcioIdentity: Sendable, Equatable {
    /// The first URI or email subject alternative name.
    public let subjectAlternativeName: String?
    /// OIDC issuer: extension .8 (DER UTF8String), else the deprecated raw .1.
    public let issuer: String?
    /// Values of .8 onward by extension number (DER UTF8String decoded), e.g. 12 = source repository URI.
    public let extensions: [Int: String]

    /// Well-known extension numbers under 1.3.6.1.4.1.57264.1.
    public enum Field: Int, Sendable {
        case issuerV2 = 8, buildSignerURI = 9, buildSignerDigest = 10, runnerEnvironment = 11
        case sourceRepositoryURI = 12, sourceRepositoryDigest = 13, sourceRepositoryRef = 14
        case sourceRepositoryIdentifier = 15, sourceRepositoryOwnerURI = 16, sourceRepositoryOwnerIdentifier = 17
        case buildConfigURI = 18, buildConfigDigest = 19, buildTrigger = 20, runInvocationURI = 21
        case sourceRepositoryVisibility = 22, deploymentEnvironment = 23
    }

    public subscript(field: Field) -> String? { extensions[field.rawValue] }

    public init(certificate: Certificate) {
        subjectAlternativeName = certificate.subjectAlternativeNames.lazy.compactMap { name -> String? in
            switch name {
            case .uri(let value), .email(let value): value
            default: nil
            }
        }.first
        var values: [Int: String] = [:]
        var legacyIssuer: String?
        let prefix = "1.3.6.1.4.1.57264.1."
        for ext in certificate.extensions where ext.oid.hasPrefix(prefix) {
            guard let number = Int(ext.oid.dropFirst(prefix.count)) else { continue }
            if number == 1 { legacyIssuer = String(decoding: ext.value, as: UTF8.self) }
            if number >= 8, let text = Self.utf8String(ext.value) { values[number] = text }
        }
        extensions = values
        issuer = values[Field.issuerV2.rawValue] ?? legacyIssuer
    }

    /// Decodes a DER UTF8String (tag 0x0C, short or long length).
    static func utf8String(_ der: [UInt8]) -> String? {
        guard der.count >= 2, der[0] == 0x0C else { return nil }
        var length = Int(der[1]), offset = 2
        if der[1] & 0x80 != 0 {
            let count = Int(der[1] & 0x7F)
            guard count >= 1, count <= 3, der.count >= 2 + count else { return nil }
            length = der[2..<2 + count].reduce(0) { $0 << 8 | Int($1) }
            offset = 2 + count
        }
        guard der.count == offset + length else { return nil }
        return String(validating: der[offset...], as: UTF8.self)
    }
}
