import Crypto
import FixtureTesting
import Foundation
import OpenSSLCrypto
import SafeJSON
import SigstoreModels
import SigstoreVerify
import Testing
import X509

@testable import FixtureSigstore

/// The Rekor v2 log checked by our consumer: `hashedrekord` v0.0.2 entries whose inclusion proof and
/// C2SP checkpoint verify under a trusted root naming the log like the public-good log2025-1 entry.
@Suite struct RekorV2LogTests {
    let signer = P256.Signing.PrivateKey()

    /// A `hashedRekordRequestV002` for `message` signed by `signer` with a public-key verifier.
    func request(_ message: String, key: P256.Signing.PrivateKey? = nil, digestOf other: String? = nil) throws -> Data {
        let key = key ?? signer
        let digest = Array(SHA256.hash(data: Array((other ?? message).utf8)))
        let signature = Array(try key.signature(for: Array(message.utf8)).derRepresentation)
        let request: JSONValue = ["hashedRekordRequestV002": [
            "digest": .string(Data(digest).base64EncodedString()),
            "signature": ["content": .string(Data(signature).base64EncodedString()),
                          "verifier": ["publicKey": ["rawBytes": .string(signer.publicKey.derRepresentation.base64EncodedString())],
                                       "keyDetails": "PKIX_ECDSA_P256_SHA_256"]],
        ]]
        return try request.serialized()
    }

    func trusted(_ log: RekorV2Log) throws -> TrustedMaterial {
        let root: JSONValue = ["mediaType": "application/vnd.dev.sigstore.trustedroot.v0.2+json", "ctlogs": [],
                               "tlogs": [log.trustedRootTlog(validFrom: Date(timeIntervalSince1970: 0))],
                               "certificateAuthorities": [], "timestampAuthorities": []]
        return try TrustedMaterial(jsonData: try root.serialized())
    }

    func consumerEntry(_ entry: RekorV2Entry) throws -> TransparencyLogEntry { try Self.consumerEntry(entry.transparencyLogEntry) }

    /// The consumer's model of a bundle `tlogEntries[]` item.
    static func consumerEntry(_ json: JSONValue) throws -> TransparencyLogEntry {
        try TransparencyLogEntry(json: try JSONField.parse(try json.serialized()))
    }

    @Test func everyEntryOfAGrowingLogVerifiesWithOurConsumer() throws {
        let log = try RekorV2Log()
        let trusted = try trusted(log)
        for number in 0..<9 {
            let fresh = try log.append(request: try request("message \(number)"))
            #expect(fresh.logIndex == Int64(number) && fresh.inclusionProof.treeSize == Int64(number + 1))
            _ = try TransparencyLogCheck().verify([try consumerEntry(fresh)], trusted: trusted, signedTimes: [Date()])
        }
        for number in 0..<9 {
            let entry = try log.entry(logIndex: Int64(number))
            #expect(entry.inclusionProof.treeSize == 9)
            _ = try TransparencyLogCheck().verify([try consumerEntry(entry)], trusted: trusted, signedTimes: [Date()])
        }
    }

    @Test func theCheckpointIsAC2SPNoteNamedAfterTheLogURL() throws {
        let log = try RekorV2Log(name: "log2025-1.rekor.fixture.invalid")
        let entry = try log.append(request: try request("x"))
        let note = try CheckpointCheck.parse(entry.inclusionProof.checkpoint)
        #expect(note.origin == "log2025-1.rekor.fixture.invalid")
        #expect(note.signatures.count == 1 && note.signatures[0].name == note.origin)
        #expect(note.signatures[0].keyHint == Array(log.logID.prefix(4)))
        let raw = Array(log.publicKeyDER.suffix(32))
        #expect(log.logID == Array(SHA256.hash(data: Array(note.origin.utf8) + [0x0A, 0x01] + raw)))
        let tlog = log.trustedRootTlog(validFrom: Date())
        #expect(tlog["baseUrl"]?.stringValue == "https://log2025-1.rekor.fixture.invalid")
        #expect(tlog["publicKey"]?["keyDetails"]?.stringValue == "PKIX_ED25519")
        #expect(tlog["checkpointKeyId"] == tlog["logId"])
    }

    @Test func theBodyIsTheCanonicalHashedRekordV002() throws {
        let log = try RekorV2Log()
        let entry = try log.append(request: try request("body"))
        let body = try JSONValue.parse(Data(entry.body))
        #expect(body["apiVersion"]?.stringValue == "0.0.2" && body["kind"]?.stringValue == "hashedrekord")
        let spec = try #require(body["spec"]?["hashedRekordV002"])
        #expect(spec["data"]?["algorithm"]?.stringValue == "SHA2_256")
        #expect(spec["data"]?["digest"]?.stringValue == Data(SHA256.hash(data: Array("body".utf8))).base64EncodedString())
        #expect(String(decoding: entry.body, as: UTF8.self).hasPrefix(#"{"apiVersion":"0.0.2","kind":"hashedrekord","spec":{"hashedRekordV002":{"data":"#))
        #expect(entry.transparencyLogEntry["integratedTime"] == nil && entry.transparencyLogEntry["inclusionPromise"] == nil)
    }

    @Test func aSignatureThatDoesNotVerifyOverTheDigestIsRefused() throws {
        let log = try RekorV2Log()
        #expect(throws: RekorError.self) { try log.append(request: try request("signed", digestOf: "other")) }
        #expect(throws: RekorError.self) { try log.append(request: try request("signed", key: P256.Signing.PrivateKey())) }
        #expect(throws: RekorError.self) { try log.append(request: Data(#"{"dsseRequestV002":{}}"#.utf8)) }
        #expect(log.treeSize == 0)
    }

    @Test func aMovedLeafOrAnotherLogsCheckpointFails() throws {
        let log = try RekorV2Log(), other = try RekorV2Log()
        _ = try log.append(request: try request("a"))
        let entry = try log.append(request: try request("b"))
        var moved = entry.transparencyLogEntry
        moved = try Self.set(moved, ["inclusionProof", "logIndex"], "0")
        #expect(throws: VerificationError.self) {
            try TransparencyLogCheck().verify([try Self.consumerEntry(moved)], trusted: trusted(log), signedTimes: [Date()])
        }
        #expect(throws: VerificationError.self) {
            _ = try TransparencyLogCheck().verify([try consumerEntry(entry)], trusted: trusted(other), signedTimes: [Date()])
        }
    }

    @Test func aReopenedLogKeepsItsKeyAndEntries() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rekor-v2-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try RekorV2Log(directory: folder)
        let entry = try first.append(request: try request("kept"))
        let second = try RekorV2Log(directory: folder)
        #expect(second.logID == first.logID && second.treeSize == 1)
        #expect(try second.entry(logIndex: 0) == entry)
    }

    @Test func aTornLastLineIsCutAndABadLineRefusedOnReload() throws {
        try withScratch("rekor-v2") { folder in
            let entry = try RekorV2Log(directory: folder).append(request: try request("kept"))
            let file = folder.appendingPathComponent("entries.b64l")
            let complete = try Data(contentsOf: file)
            try (complete + Data("AAAA".utf8)).write(to: file)
            let reopened = try RekorV2Log(directory: folder)
            #expect(reopened.treeSize == 1)
            #expect(try reopened.entry(logIndex: 0) == entry)
            #expect(try Data(contentsOf: file) == complete, "the torn line is cut from the file")
            try (complete + Data("not base64!\n".utf8)).write(to: file)
            let error = #expect(throws: RekorError.self) { try RekorV2Log(directory: folder) }
            #expect(error?.code == .storage && error?.message.contains("entries.b64l line 2") == true, "\(String(describing: error))")
        }
    }

    static func set(_ value: JSONValue, _ path: [String], _ new: JSONValue) throws -> JSONValue {
        guard let key = path.first, case .object(var members) = value else { return new }
        members[key] = try set(members[key] ?? .null, Array(path.dropFirst()), new)
        return .object(members)
    }
}
