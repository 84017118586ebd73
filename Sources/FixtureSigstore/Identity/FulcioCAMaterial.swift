import Crypto
import Foundation
import SwiftASN1
import X509

extension FulcioCA {
    /// The CA's persistent material: root and intermediate certificates and the
    /// intermediate's signing key, all PEM, so a world can save and reload it and
    /// tests can pin it. The root key is used once, to sign the intermediate.
    public struct Material: Sendable, Codable, Equatable {
        public var rootCertificatePEM: String
        public var intermediateCertificatePEM: String
        /// PKCS#8 PEM of the intermediate's P-384 key.
        public var intermediateKeyPEM: String

        public init(rootCertificatePEM: String, intermediateCertificatePEM: String, intermediateKeyPEM: String) {
            self.rootCertificatePEM = rootCertificatePEM
            self.intermediateCertificatePEM = intermediateCertificatePEM
            self.intermediateKeyPEM = intermediateKeyPEM
        }

        /// A fresh P-384 root and intermediate with the Fulcio CA profile (PROTOCOLS §5.3), valid from
        /// `notBefore` for `years`: root CA:TRUE, keyCertSign+cRLSign, SKI; intermediate CA:TRUE pathlen 0,
        /// keyCertSign+cRLSign, EKU codeSigning, SKI, AKI = root SKI.
        public static func generate(notBefore: Date, years: Int = 10, organization: String = "mochi-fixture.sigstore.dev") throws -> Material {
            let notAfter = notBefore.addingTimeInterval(Double(years) * 365.25 * 86_400)
            let rootKey = P384.Signing.PrivateKey(), intermediateKey = P384.Signing.PrivateKey()
            let rootPublic = Certificate.PublicKey(rootKey.publicKey), intermediatePublic = Certificate.PublicKey(intermediateKey.publicKey)
            let rootName = try DistinguishedName {
                OrganizationName(organization)
                CommonName("sigstore")
            }
            let intermediateName = try DistinguishedName {
                OrganizationName(organization)
                CommonName("sigstore-intermediate")
            }
            let rootSKI = SubjectKeyIdentifier(hash: rootPublic)
            let root = try Certificate(
                version: .v3, serialNumber: .init(bytes: IdentityEncoding.serialNumberBytes()), publicKey: rootPublic,
                notValidBefore: notBefore, notValidAfter: notAfter,
                issuer: rootName, subject: rootName, signatureAlgorithm: .ecdsaWithSHA384,
                extensions: try Certificate.Extensions {
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 1))
                    rootSKI
                },
                issuerPrivateKey: .init(rootKey))
            let intermediate = try Certificate(
                version: .v3, serialNumber: .init(bytes: IdentityEncoding.serialNumberBytes()), publicKey: intermediatePublic,
                notValidBefore: notBefore, notValidAfter: notAfter,
                issuer: rootName, subject: intermediateName, signatureAlgorithm: .ecdsaWithSHA384,
                extensions: try Certificate.Extensions {
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                    try ExtendedKeyUsage([.codeSigning])
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    SubjectKeyIdentifier(hash: intermediatePublic)
                    AuthorityKeyIdentifier(keyIdentifier: rootSKI.keyIdentifier)
                },
                issuerPrivateKey: .init(rootKey))
            return Material(rootCertificatePEM: try root.serializeAsPEM().pemString,
                            intermediateCertificatePEM: try intermediate.serializeAsPEM().pemString,
                            intermediateKeyPEM: intermediateKey.pemRepresentation)
        }
    }
}
