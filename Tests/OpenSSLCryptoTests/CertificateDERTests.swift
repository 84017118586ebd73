import FixtureTesting
import Foundation
import OpenSSLCrypto
import Testing

/// Parts cut from a certificate's own DER bytes equal what OpenSSL re-encodes.
@Suite struct CertificateDERTests {
    @Test func precertificateTBSEqualsOpenSSLsReencoding() throws {
        let (leaf, intermediate, _, ctKey, _) = try CertificateTests.material()
        #expect(try leaf.precertificateTBS() == leaf.precertificateTBSReencoded())
        let value = try #require(leaf.extensionValue(oid: OID.embeddedSCTList))
        let sct = try #require(try SignedCertificateTimestamp.parseList(extensionValue: value).first)
        #expect(try sct.verify(certificate: leaf, issuer: intermediate, logKey: ctKey))
    }

    @Test func subjectPublicKeyInfoEqualsOpenSSLsEncoding() throws {
        let (leaf, intermediate, root, _, _) = try CertificateTests.material()
        for certificate in [leaf, intermediate, root] {
            #expect(try certificate.subjectPublicKeyInfoDER() == certificate.publicKey().spkiDER)
        }
    }

    @Test func aCertificateWithoutSCTsHasNoPrecertificate() throws {
        let (_, intermediate, _, _, _) = try CertificateTests.material()
        #expect(throws: OpenSSLError.self) { try intermediate.precertificateTBS() }
        #expect(throws: OpenSSLError.self) { try intermediate.precertificateTBSReencoded() }
    }
}
