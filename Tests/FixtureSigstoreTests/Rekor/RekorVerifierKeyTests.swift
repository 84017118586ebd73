import Crypto
import Foundation
import SafeJSON
import Testing
import X509

@testable import FixtureSigstore
import SwiftASN1

/// Verifier keys Rekor accepts besides P-256, and logging from many tasks at once.
@Suite struct RekorVerifierKeyTests {
    static let payloadType = "application/vnd.in-toto+json"

    static func proposal(payload: String, signature: [UInt8], publicKey: Certificate.PublicKey) throws -> Data {
        let envelope = RekorTestEnvelope(payload: Array(payload.utf8), payloadType: payloadType, signature: signature, keyid: "")
        return try envelope.dsseProposal(verifierPEM: try publicKey.serializeAsPEM().pemString)
    }

    static func pae(_ payload: String) -> [UInt8] { RekorDSSECheck.pae(payloadType: payloadType, payload: Array(payload.utf8)) }

    @Test func p384SignaturesAreCheckedOverSHA256LikeRekor() throws {
        let key = P384.Signing.PrivateKey()
        let payload = "{\"curve\":\"P-384\"}"
        let overSHA256 = Array(try key.signature(for: SHA256.hash(data: Self.pae(payload))).derRepresentation)
        let entry = try RekorLog().append(proposedEntry: try Self.proposal(payload: payload, signature: overSHA256,
                                                                           publicKey: Certificate.PublicKey(key.publicKey)))
        #expect(entry.kind == "dsse")
        let overSHA384 = Array(try key.signature(for: Self.pae(payload)).derRepresentation)
        #expect(throws: RekorError.self) {
            try RekorLog().append(proposedEntry: try Self.proposal(payload: payload, signature: overSHA384, publicKey: Certificate.PublicKey(key.publicKey)))
        }
    }

    @Test func ed25519SignaturesAreCheckedOverTheMessage() throws {
        let key = Curve25519.Signing.PrivateKey()
        let payload = "{\"curve\":\"Ed25519\"}"
        let signature = Array(try key.signature(for: Self.pae(payload)))
        let log = try RekorLog()
        _ = try log.append(proposedEntry: try Self.proposal(payload: payload, signature: signature, publicKey: Certificate.PublicKey(key.publicKey)))
        var bad = signature
        bad[0] ^= 0x80
        #expect(throws: RekorError.self) {
            try log.append(proposedEntry: try Self.proposal(payload: payload, signature: bad, publicKey: Certificate.PublicKey(key.publicKey)))
        }
    }

    @Test func concurrentAppendsGetDistinctIndexesAndAllVerify() async throws {
        let log = try RekorLog(clock: { RekorConsumer.pinnedNow })
        let signer = RekorTestSigner()
        let proposals = try (0..<24).map { try signer.envelope("{\"task\":\($0)}").dsseProposal(verifierPEM: signer.publicKeyPEM) }
        let indexes = try await withThrowingTaskGroup(of: Int64.self) { group in
            for proposal in proposals { group.addTask { try log.append(proposedEntry: proposal).logIndex } }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        #expect(indexes.sorted() == Array(0..<24))
        for index in indexes { _ = try RekorConsumer.verify(try log.entry(logIndex: index).bundleTlogEntry, log: log) }
    }
}
