import FixtureSigstore
import Foundation
import OpenSSLCrypto
@testable import SigstoreVerify
import Testing

/// Leaves of one P-384 issuer: once it has issued its key's threshold of them, the chain check verifies the leaf's signature
/// with the issuer's prepared key (`RepeatedKeyVerifier`), and a forged leaf is refused all the same.
@Suite struct PreparedIssuerTests {
    @Test func leavesOfAPreparedIssuerVerifyAndForgedOnesAreRefused() async throws {
        let world = try await IdentityFixture.make()
        let trusted = try TrustedMaterial(jsonData: try world.trustedRootJSON())
        let authority = try #require(trusted.certificateAuthorities.first)
        let time = IdentityFixture.start.addingTimeInterval(30)
        var leaves: [OpenSSLCrypto.Certificate] = []
        for _ in 0..<3 { leaves.append(try await FulcioConsumerTests.issue(world)[0]) }

        // Left to OpenSSL until the issuer's key has been asked for its threshold of leaves.
        let threshold = try #require(authority.issuerKeys[0]?.preparationThreshold)
        for _ in 1..<threshold { #expect(authority.preparedLink(for: leaves[0]) == nil) }
        #expect(authority.preparedLink(for: leaves[0])?.issuer === authority.chain[0])
        for leaf in leaves {
            #expect(try CertificateChainCheck().verify(leaf: leaf, at: [time], trusted: trusted).count == 3)
        }
        var signature = leaves[2].derBytes, body = leaves[2].derBytes
        signature[signature.count - 1] ^= 0x01
        body[15] ^= 0x01  // inside the serial number
        for forged in [try OpenSSLCrypto.Certificate(der: signature), try OpenSSLCrypto.Certificate(der: body)] {
            #expect(authority.preparedLink(for: forged) == nil)
            #expect(throws: VerificationError.self) { try CertificateChainCheck().verify(leaf: forged, at: [time], trusted: trusted) }
        }
    }
}
