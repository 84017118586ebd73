import FixtureTesting
import Foundation
import OpenSSLCrypto
import Testing

/// `X509ChainVerifier.verify(knownLinks:)` skips exactly the signature of the links it is given
/// (those very objects): validity at the time and every other link are still checked.
@Suite struct KnownLinksTests {
    /// The leaf with the last byte of its signature changed: it parses, its signature does not verify.
    static func tampered(_ leaf: Certificate) throws -> Certificate {
        var der = leaf.derBytes
        der[der.count - 1] ^= 0x01
        return try Certificate(der: der)
    }

    @Test func aKnownLinkStillChecksValidityTimes() throws {
        let (leaf, intermediate, root, _, time) = try CertificateTests.material()
        let known = [X509ChainVerifier.Link(subject: leaf, issuer: intermediate), X509ChainVerifier.Link(subject: intermediate, issuer: root)]
        let path = try X509ChainVerifier.verify(leaf: leaf, intermediates: [intermediate], roots: [root], at: time, knownLinks: known)
        #expect(path.map(\.derBytes) == [leaf.derBytes, intermediate.derBytes, root.derBytes])
        let error = #expect(throws: OpenSSLError.self) {
            try X509ChainVerifier.verify(leaf: leaf, intermediates: [intermediate], roots: [root], at: time.addingTimeInterval(3600), knownLinks: known)
        }
        #expect(error?.description.contains("expired") == true)
    }

    @Test func anUnknownLinkIsVerified() throws {
        let (leaf, intermediate, root, _, time) = try CertificateTests.material()
        let forged = try Self.tampered(leaf)
        #expect(!forged.isSigned(by: intermediate))
        // The genuine leaf's link is known, and so is the intermediate's: the forged leaf is another object.
        let known = [X509ChainVerifier.Link(subject: leaf, issuer: intermediate), X509ChainVerifier.Link(subject: intermediate, issuer: root)]
        let error = #expect(throws: OpenSSLError.self) {
            try X509ChainVerifier.verify(leaf: forged, intermediates: [intermediate], roots: [root], at: time, knownLinks: known)
        }
        #expect(error?.description.contains("signature failure") == true)
        #expect(throws: OpenSSLError.self) { try X509ChainVerifier.verify(leaf: forged, intermediates: [intermediate], roots: [root], at: time) }
    }

    @Test func onlyTheGivenLinkIsSkipped() throws {
        let (leaf, intermediate, root, _, time) = try CertificateTests.material()
        let forged = try Self.tampered(leaf)
        // Claiming the forged leaf's link skips its signature, and only that: the chain then verifies,
        // which is why SigstoreVerify claims a link only for bytes whose signature verified before.
        let path = try X509ChainVerifier.verify(leaf: forged, intermediates: [intermediate], roots: [root], at: time,
                                                knownLinks: [X509ChainVerifier.Link(subject: forged, issuer: intermediate)])
        #expect(path.count == 3)
    }
}
