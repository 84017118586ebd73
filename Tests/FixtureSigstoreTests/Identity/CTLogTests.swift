import Crypto
import FixtureSigstore
import Foundation
import SafeJSON
import Testing
import X509

/// The CT log signs only precertificates it can tie to the submitted issuer.
@Suite struct CTLogTests {
    static func issue(_ world: IdentityFixture) async throws -> FulcioCA.Issued {
        let token = try await world.issuer.idToken(audience: "sigstore")
        let key = P256.Signing.PrivateKey()
        let proof = try key.signature(for: Data(try IdentityFixture.subjectClaim(of: token).utf8)).derRepresentation
        return try await world.fulcio.issue(token: token, publicKeyPEM: key.publicKey.pemRepresentation, proofOfPossession: Array(proof))
    }

    @Test func refusesAFinalCertificateWithoutPoison() async throws {
        let world = try await IdentityFixture.make()
        let chain = try await Self.issue(world).derChain()
        #expect(throws: CTLogError.self) { try world.ctLog.addPreChain([chain[0], chain[1]]) }
        #expect(throws: CTLogError.self) { try world.ctLog.addPreChain([chain[0]]) }
    }

    @Test func refusesACertificateNotSignedByTheSubmittedIssuer() async throws {
        let world = try await IdentityFixture.make()
        let chain = try await Self.issue(world).derChain()
        // The intermediate submitted with the root as its "issuer" is fine; with itself as issuer it is not.
        #expect(throws: CTLogError.self) { try world.ctLog.addPreChain([chain[1], chain[1]]) }
    }

    @Test func sctCarriesTheLogIDAndTheClock() async throws {
        let world = try await IdentityFixture.make()
        let issued = try await Self.issue(world)
        #expect(issued.sct.logID == Array(SHA256.hash(data: world.ctLog.publicKeyDER)))
        #expect(issued.sct.timestamp == UInt64(IdentityFixture.start.timeIntervalSince1970 * 1000))
        #expect(issued.sct.json["sct_version"] == 0)
        let entry = world.ctLog.trustedRootEntry(validFrom: IdentityFixture.start)
        #expect(entry["logId"]?["keyId"]?.stringValue == Data(issued.sct.logID).base64EncodedString())
        #expect(entry["publicKey"]?["validFor"]?["start"] == "2026-01-01T00:00:00.000Z")
    }

    @Test func leafSerialIsTwentyPositiveOctets() async throws {
        let world = try await IdentityFixture.make()
        let leaf = try await Self.issue(world).leaf
        #expect(leaf.serialNumber.bytes.count == 20)
        #expect(leaf.serialNumber.bytes.first.map { $0 & 0x80 == 0 } == true)
    }
}
