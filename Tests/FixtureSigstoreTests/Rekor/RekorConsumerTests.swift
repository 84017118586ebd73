import Foundation
import OpenSSLCrypto
import SafeJSON
import SigstoreModels
import SigstoreVerify
import Testing

@testable import FixtureSigstore
import CodedError

/// The cross-implementation check: entries signed by the swift-crypto log verify with our
/// OpenSSL consumer (SET, inclusion proof, checkpoint, body), and fail when any part is altered.
@Suite struct RekorConsumerTests {
    let signer = RekorTestSigner()

    func makeLog(indexOffset: Int64 = 0) throws -> RekorLog {
        try RekorLog(configuration: .init(indexOffset: indexOffset), clock: { RekorConsumer.pinnedNow })
    }

    @Test func dsseEntryWithCertificateVerifierVerifiesWithOurConsumer() throws {
        let log = try makeLog()
        let envelope = try signer.envelope(#"{"_type":"https://in-toto.io/Statement/v1"}"#)
        let certificatePEM = try signer.certificatePEM()
        let entry = try log.append(proposedEntry: try envelope.dsseProposal(verifierPEM: certificatePEM))

        #expect(entry.kind == "dsse" && entry.apiVersion == "0.0.1")
        #expect(entry.integratedTime == Int64(RekorConsumer.pinnedNow.timeIntervalSince1970))
        let times = try RekorConsumer.verify(entry.bundleTlogEntry, log: log)
        #expect(times == [RekorConsumer.pinnedNow])
        let key = try PublicKey(pem: signer.publicKeyPEM)
        let leaf = try Certificate.parsePEM(certificatePEM)[0]
        try TlogBodyCheck().verify(try RekorConsumer.entry(entry.bundleTlogEntry), content: try envelope.model(), leaf: leaf, key: key)
        // The same entry does not count for a bundle whose signer is another certificate.
        let error = #expect(throws: VerificationError.self) {
            try TlogBodyCheck().verify(try RekorConsumer.entry(entry.bundleTlogEntry), content: try envelope.model(), leaf: nil, key: key)
        }
        #expect(error?.code == .tlogBody && error?.message.contains("signing certificate") == true)
    }

    /// An entry logged under one key does not count for a bundle signed by another key, even
    /// with the right signature and payload hash (as when a signature is logged again under a key
    /// recovered from it, out of sight of monitors watching the real signer).
    @Test func anEntryLoggedUnderAnotherVerifierDoesNotCount() throws {
        let log = try makeLog()
        let envelope = try signer.envelope(#"{"_type":"https://in-toto.io/Statement/v1"}"#)
        let entry = try log.append(proposedEntry: try envelope.intotoProposal(publicKeyPEM: signer.publicKeyPEM))
        let otherKey = try PublicKey(pem: RekorTestSigner().publicKeyPEM)
        let error = #expect(throws: VerificationError.self) {
            try TlogBodyCheck().verify(try RekorConsumer.entry(entry.bundleTlogEntry), content: try envelope.model(), leaf: nil, key: otherKey)
        }
        #expect(error?.code == .tlogBody && error?.message.contains("public key") == true, "\(String(describing: error))")
    }

    @Test func intotoEntryWithPublicKeyVerifierVerifiesWithOurConsumer() throws {
        let log = try makeLog()
        let envelope = try signer.envelope(#"{"_type":"https://in-toto.io/Statement/v0.1"}"#, keyid: "SHA256:fixture-key")
        let entry = try log.append(proposedEntry: try envelope.intotoProposal(publicKeyPEM: signer.publicKeyPEM))

        #expect(entry.kind == "intoto" && entry.apiVersion == "0.0.2")
        _ = try RekorConsumer.verify(entry.bundleTlogEntry, log: log)
        let key = try PublicKey(pem: signer.publicKeyPEM)
        try TlogBodyCheck().verify(try RekorConsumer.entry(entry.bundleTlogEntry), content: try envelope.model(), leaf: nil, key: key)
    }

    @Test func everyEntryOfAGrowingLogVerifiesAgainstTheLatestTree() throws {
        let log = try makeLog(indexOffset: 139_000_000)
        var envelopes: [RekorTestEnvelope] = []
        for number in 0..<13 {
            let envelope = try signer.envelope("{\"n\":\(number)}")
            envelopes.append(envelope)
            let fresh = try log.append(proposedEntry: try envelope.dsseProposal(verifierPEM: signer.publicKeyPEM))
            #expect(fresh.inclusionProof.treeSize == Int64(number + 1))
            _ = try RekorConsumer.verify(fresh.bundleTlogEntry, log: log)
        }
        let key = try PublicKey(pem: signer.publicKeyPEM)
        for number in 0..<13 {
            let entry = try log.entry(logIndex: 139_000_000 + Int64(number))
            #expect(entry.inclusionProof.logIndex == Int64(number))
            #expect(entry.inclusionProof.treeSize == 13)
            _ = try RekorConsumer.verify(entry.bundleTlogEntry, log: log)
            try TlogBodyCheck().verify(try RekorConsumer.entry(entry.bundleTlogEntry), content: try envelopes[number].model(), leaf: nil, key: key)
        }
    }

    @Test func anEntryIsNotTheRecordOfAnotherEnvelope() throws {
        let log = try makeLog()
        let first = try signer.envelope("{\"first\":true}"), second = try signer.envelope("{\"second\":true}")
        let entry = try log.append(proposedEntry: try first.dsseProposal(verifierPEM: signer.publicKeyPEM))
        let key = try PublicKey(pem: signer.publicKeyPEM)
        #expect(throws: VerificationError.self) {
            try TlogBodyCheck().verify(try RekorConsumer.entry(entry.bundleTlogEntry), content: try second.model(), leaf: nil, key: key)
        }
    }

    @Test func theCheckpointIsASignedNoteWithTheLogIDHint() throws {
        let log = try makeLog()
        let entry = try log.append(proposedEntry: try signer.envelope("{}").dsseProposal(verifierPEM: signer.publicKeyPEM))
        let note = try CheckpointCheck.parse(entry.inclusionProof.checkpoint)
        #expect(note.origin == log.origin)
        #expect(note.origin.hasPrefix("fixture-rekor.mochi.test - "))
        #expect(note.treeSize == 1)
        #expect(note.rootHash == entry.inclusionProof.rootHash)
        #expect(note.signatures.count == 1)
        #expect(note.signatures[0].name == "fixture-rekor.mochi.test")
        #expect(note.signatures[0].keyHint == Array(log.logID.prefix(4)))
    }

    // MARK: - Mutations

    enum Mutation: String, CaseIterable, Sendable {
        case signedEntryTimestamp, logIndex, integratedTime, canonicalizedBody, proofHash, rootHash, proofLogIndex
        case checkpointSignature, checkpointRootHash, logID

        var expected: VerificationError.Code {
            switch self {
            case .signedEntryTimestamp, .logIndex, .integratedTime, .canonicalizedBody: .signedEntryTimestamp
            case .proofHash, .rootHash, .proofLogIndex: .inclusionProof
            case .checkpointSignature, .checkpointRootHash: .checkpoint
            case .logID: .unknownLog
            }
        }
    }

    @Test(arguments: Mutation.allCases)
    func alteringOnePartMakesOurVerifierFail(_ mutation: Mutation) throws {
        let log = try makeLog(indexOffset: 5)
        for number in 0..<6 { _ = try log.append(proposedEntry: try signer.envelope("{\"n\":\(number)}").dsseProposal(verifierPEM: signer.publicKeyPEM)) }
        let good = try log.entry(logIndex: 7).bundleTlogEntry
        _ = try RekorConsumer.verify(good, log: log)

        let bad = try Self.apply(mutation, to: good)
        #expect(bad != good)
        do {
            _ = try RekorConsumer.verify(bad, log: log)
            Issue.record("\(mutation) was accepted")
        } catch let error as VerificationError {
            #expect(error.code == mutation.expected, "\(mutation): \(error)")
        }
    }

    static func apply(_ mutation: Mutation, to entry: JSONValue) throws -> JSONValue {
        guard case .object(var top) = entry, case .object(var proof) = top["inclusionProof"]! else { throw MutationFailed() }
        switch mutation {
        case .signedEntryTimestamp:
            top["inclusionPromise"] = ["signedEntryTimestamp": try flipBase64(top["inclusionPromise"]!["signedEntryTimestamp"]!)]
        case .logIndex: top["logIndex"] = .string(String(Int(top["logIndex"]!.stringValue!)! + 1))
        case .integratedTime: top["integratedTime"] = .string(String(Int(top["integratedTime"]!.stringValue!)! - 1))
        case .canonicalizedBody: top["canonicalizedBody"] = try flipBase64(top["canonicalizedBody"]!, at: 40)
        case .logID: top["logId"] = ["keyId": try flipBase64(top["logId"]!["keyId"]!)]
        case .proofHash:
            var hashes = proof["hashes"]!.arrayValue!
            hashes[0] = try flipBase64(hashes[0])
            proof["hashes"] = .array(hashes)
        case .rootHash: proof["rootHash"] = try flipBase64(proof["rootHash"]!)
        case .proofLogIndex: proof["logIndex"] = .string(String(Int(proof["logIndex"]!.stringValue!)! + 1))
        case .checkpointSignature, .checkpointRootHash:
            let note = proof["checkpoint"]!["envelope"]!.stringValue!
            var lines = note.components(separatedBy: "\n")
            if mutation == .checkpointRootHash {
                lines[2] = try flipBase64(.string(lines[2])).stringValue!
            } else {
                var parts = lines[4].components(separatedBy: " ")
                parts[2] = try flipBase64(.string(parts[2]), at: -1).stringValue!
                lines[4] = parts.joined(separator: " ")
            }
            proof["checkpoint"] = ["envelope": .string(lines.joined(separator: "\n"))]
        }
        top["inclusionProof"] = .object(proof)
        return .object(top)
    }

    /// Flips one bit of the decoded bytes (`at` < 0 counts from the end) and re-encodes.
    static func flipBase64(_ value: JSONValue, at position: Int = 0) throws -> JSONValue {
        guard var bytes = value.stringValue.flatMap({ Data(base64Encoded: $0) }).map(Array.init) else { throw MutationFailed() }
        let index = position < 0 ? bytes.count + position : position
        bytes[index] ^= 0x01
        return .string(Data(bytes).base64EncodedString())
    }

    struct MutationFailed: Error {}
}
