public import Crypto
public import Foundation
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
        /// `rootKey` lets two authorities share a root (name and key), as rotated TSA leaves do.
        public static func generate(notBefore: Date, years: Int = 10, organization: String = TimestampAuthority.organization,
                                    rootKey: P256.Signing.PrivateKey = P256.Signing.PrivateKey()) throws -> Material {
            let leafKey = P256.Signing.PrivateKey()
            let pair = try IssuingCA(
                organization: organization, names: ("sigstore-tsa-selfsigned", "sigstore-tsa"), notBefore: notBefore, years: years,
                rootKey: .init(rootKey), issuedKey: .init(leafKey.publicKey),
                signatureAlgorithm: .ecdsaWithSHA256, rootPathLength: 0) { ski, aki in
                    try Certificate.Extensions {
                        Critical(KeyUsage(digitalSignature: true))
                        Critical(try ExtendedKeyUsage([.timeStamping]))
                        ski
                        aki
                    }
                }
            return Material(rootCertificatePEM: pair.rootPEM, leafCertificatePEM: pair.issuedPEM, leafKeyPEM: leafKey.pemRepresentation)
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
