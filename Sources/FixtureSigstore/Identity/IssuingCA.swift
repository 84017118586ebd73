import Foundation
import SwiftASN1
import X509

/// The certificate pair behind the world's Fulcio CA and its timestamp authority, from one CA
/// profile: a self-signed root (CA:TRUE, critical keyCertSign+cRLSign, SKI) and the one certificate
/// it issues, both PEM. TEST-ONLY: these keys certify fixture data and nothing else.
struct IssuingCA {
    let rootPEM: String
    let issuedPEM: String

    /// Issues the pair, valid from `notBefore` for `years`.
    ///
    /// - Parameters:
    ///   - names: the common names of the root and of the issued certificate, both under `organization`.
    ///   - rootPathLength: the root's `BasicConstraints` path length.
    ///   - issuedExtensions: the issued certificate's extensions, given its SKI and the AKI naming the root.
    init(organization: String, names: (root: String, issued: String), notBefore: Date, years: Int,
         rootKey: Certificate.PrivateKey, issuedKey: Certificate.PublicKey,
         signatureAlgorithm: Certificate.SignatureAlgorithm, rootPathLength: Int,
         issuedExtensions: (SubjectKeyIdentifier, AuthorityKeyIdentifier) throws -> Certificate.Extensions) throws {
        let notAfter = notBefore.addingTimeInterval(Double(years) * 365.25 * 86_400)
        let rootName = try DistinguishedName {
            OrganizationName(organization)
            CommonName(names.root)
        }
        let issuedName = try DistinguishedName {
            OrganizationName(organization)
            CommonName(names.issued)
        }
        let rootSKI = SubjectKeyIdentifier(hash: rootKey.publicKey)
        let root = try Certificate(
            version: .v3, serialNumber: .init(bytes: IdentityEncoding.serialNumberBytes()), publicKey: rootKey.publicKey,
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: rootName, subject: rootName,
            signatureAlgorithm: signatureAlgorithm,
            extensions: try Certificate.Extensions {
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: rootPathLength))
                rootSKI
            },
            issuerPrivateKey: rootKey)
        let issued = try Certificate(
            version: .v3, serialNumber: .init(bytes: IdentityEncoding.serialNumberBytes()), publicKey: issuedKey,
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: rootName, subject: issuedName,
            signatureAlgorithm: signatureAlgorithm,
            extensions: try issuedExtensions(SubjectKeyIdentifier(hash: issuedKey),
                                             AuthorityKeyIdentifier(keyIdentifier: rootSKI.keyIdentifier)),
            issuerPrivateKey: rootKey)
        rootPEM = try root.serializeAsPEM().pemString
        issuedPEM = try issued.serializeAsPEM().pemString
    }
}
