import Crypto
import Foundation
import SwiftASN1
import X509

extension TimestampAuthority {
    /// The authority's persistent material: a self-signed root, the TSA leaf it certifies and the
    /// leaf's key, all PEM. TEST-ONLY: these keys stamp fixture data and nothing else.
    public struct Material: Sendable, Codable, Equatable {
        public var rootCertificatePEM: String
        public var leafCertificatePEM: String
        /// PKCS#8 PEM of the leaf's P-256 key.
        public var leafKeyPEM: String

        static let fileName = "tsa-material.json"

        /// A P-256 root (CA:TRUE pathlen 0, keyCertSign+cRLSign) and TSA leaf (digitalSignature,
        /// critical EKU id-kp-timeStamping only, as RFC 3161 §2.3 and OpenSSL's timestamp purpose require).
        public static func generate(notBefore: Date, years: Int = 10, organization: String = TimestampAuthority.organization) throws -> Material {
            let notAfter = notBefore.addingTimeInterval(Double(years) * 365.25 * 86_400)
            let rootKey = P256.Signing.PrivateKey(), leafKey = P256.Signing.PrivateKey()
            let rootPublic = Certificate.PublicKey(rootKey.publicKey), leafPublic = Certificate.PublicKey(leafKey.publicKey)
            let rootName = try DistinguishedName {
                OrganizationName(organization)
                CommonName("sigstore-tsa-selfsigned")
            }
            let leafName = try DistinguishedName {
                OrganizationName(organization)
                CommonName("sigstore-tsa")
            }
            let rootSKI = SubjectKeyIdentifier(hash: rootPublic)
            let root = try Certificate(
                version: .v3, serialNumber: .init(bytes: IdentityEncoding.serialNumberBytes()), publicKey: rootPublic,
                notValidBefore: notBefore, notValidAfter: notAfter, issuer: rootName, subject: rootName,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    rootSKI
                },
                issuerPrivateKey: .init(rootKey))
            let leaf = try Certificate(
                version: .v3, serialNumber: .init(bytes: IdentityEncoding.serialNumberBytes()), publicKey: leafPublic,
                notValidBefore: notBefore, notValidAfter: notAfter, issuer: rootName, subject: leafName,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(KeyUsage(digitalSignature: true))
                    Critical(try ExtendedKeyUsage([.timeStamping]))
                    SubjectKeyIdentifier(hash: leafPublic)
                    AuthorityKeyIdentifier(keyIdentifier: rootSKI.keyIdentifier)
                },
                issuerPrivateKey: .init(rootKey))
            return Material(rootCertificatePEM: try root.serializeAsPEM().pemString,
                            leafCertificatePEM: try leaf.serializeAsPEM().pemString,
                            leafKeyPEM: leafKey.pemRepresentation)
        }

        /// The material stored in `directory`, or new material (valid from `notBefore`) written there first.
        public static func loadOrCreate(in directory: URL, notBefore: Date) throws -> Material {
            let file = directory.appendingPathComponent(fileName)
            if let data = try? Data(contentsOf: file) {
                do { return try JSONDecoder().decode(Material.self, from: data) } catch {
                    throw WorldError("\(file.path) is not a timestamp authority material file: \(error)")
                }
            }
            let material = try generate(notBefore: notBefore)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(material).write(to: file, options: .atomic)
            return material
        }
    }
}
