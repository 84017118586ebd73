import Crypto
public import Foundation
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

        /// A fresh P-384 root and intermediate with the Fulcio CA profile (PROTOCOLS §5.3), valid from
        /// `notBefore` for `years`: root CA:TRUE, keyCertSign+cRLSign, SKI; intermediate CA:TRUE pathlen 0,
        /// keyCertSign+cRLSign, EKU codeSigning, SKI, AKI = root SKI.
        public static func generate(notBefore: Date, years: Int = 10, organization: String = "mochi-fixture.sigstore.dev") throws -> Material {
            let intermediateKey = P384.Signing.PrivateKey()
            let pair = try IssuingCA(
                organization: organization, names: ("sigstore", "sigstore-intermediate"), notBefore: notBefore, years: years,
                rootKey: .init(P384.Signing.PrivateKey()), issuedKey: .init(intermediateKey.publicKey),
                signatureAlgorithm: .ecdsaWithSHA384, rootPathLength: 1) { ski, aki in
                    try Certificate.Extensions {
                        Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                        try ExtendedKeyUsage([.codeSigning])
                        Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                        ski
                        aki
                    }
                }
            return Material(rootCertificatePEM: pair.rootPEM, intermediateCertificatePEM: pair.issuedPEM,
                            intermediateKeyPEM: intermediateKey.pemRepresentation)
        }
    }
}
