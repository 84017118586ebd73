import Crypto
import FixtureTesting
import Foundation
import Testing

@testable import FixtureSigstore

/// A log given a folder keeps its key and entries across restarts.
@Suite struct RekorPersistenceTests {
    let signer = RekorTestSigner()

    func proposal(_ number: Int) throws -> Data {
        try signer.envelope("{\"n\":\(number)}").dsseProposal(verifierPEM: signer.publicKeyPEM)
    }

    @Test func aReopenedLogHasTheSameKeyEntriesAndRoot() throws {
        let folder = try Scratch.folder("rekor-test")
        defer { Scratch.remove(folder) }
        let first = try RekorLog(configuration: .init(indexOffset: 100), directory: folder, clock: { RekorConsumer.pinnedNow })
        let proposals = try (0..<4).map(proposal)
        var written: [RekorLogEntry] = []
        for number in 0..<3 { written.append(try first.append(proposedEntry: proposals[number])) }

        let reopened = try RekorLog(configuration: .init(indexOffset: 100), directory: folder)
        #expect(reopened.logID == first.logID)
        #expect(reopened.treeSize == 3)
        for entry in written {
            let again = try reopened.entry(logIndex: entry.logIndex)
            #expect(again.body == entry.body)
            #expect(again.signedEntryTimestamp == entry.signedEntryTimestamp)
            #expect(again.integratedTime == entry.integratedTime)
            #expect(again.inclusionProof.rootHash == written.last!.inclusionProof.rootHash)
            _ = try RekorConsumer.verify(again.bundleTlogEntry, log: reopened)
        }
        let next = try reopened.append(proposedEntry: proposals[3])
        #expect(next.logIndex == 103)
        let duplicate = #expect(throws: RekorError.self) { try reopened.append(proposedEntry: proposals[0]) }
        #expect(duplicate?.code == .conflict)
        _ = try RekorConsumer.verify(next.bundleTlogEntry, log: reopened)
    }

    @Test func aTornLastLineIsDroppedOnReload() throws {
        let folder = try Scratch.folder("rekor-test")
        defer { Scratch.remove(folder) }
        let log = try RekorLog(directory: folder)
        _ = try log.append(proposedEntry: try proposal(0))
        _ = try log.append(proposedEntry: try proposal(1))
        let file = folder.appendingPathComponent("entries.jsonl")
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"apiVersion\":\"0.0.1\",\"bo".utf8))
        try handle.close()

        let reopened = try RekorLog(directory: folder)
        #expect(reopened.treeSize == 2)
        #expect(try Data(contentsOf: file).last == 0x0A)
        #expect(try reopened.append(proposedEntry: try proposal(2)).logIndex == 2)
    }

    @Test func aCorruptLineIsRefused() throws {
        let folder = try Scratch.folder("rekor-test")
        defer { Scratch.remove(folder) }
        _ = try RekorLog(directory: folder).append(proposedEntry: try proposal(0))
        let file = folder.appendingPathComponent("entries.jsonl")
        var text = try String(contentsOf: file, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"logIndex\":0", with: "\"logIndex\":7")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let error = #expect(throws: RekorError.self) { try RekorLog(directory: folder) }
        #expect(error?.code == .storage)
    }

    @Test func entriesSignedByAnotherKeyAreRefused() throws {
        let folder = try Scratch.folder("rekor-test")
        defer { Scratch.remove(folder) }
        _ = try RekorLog(directory: folder).append(proposedEntry: try proposal(0))
        #expect(throws: RekorError.self) { try RekorLog(signingKey: P256.Signing.PrivateKey(), directory: folder) }
        // With the key file replaced, the stored SETs no longer verify.
        try P256.Signing.PrivateKey().pemRepresentation.write(to: folder.appendingPathComponent("rekor-signing-key.pem"), atomically: true, encoding: .utf8)
        #expect(throws: RekorError.self) { try RekorLog(directory: folder) }
    }

    @Test func aGivenKeyIsStoredAndUsed() throws {
        let folder = try Scratch.folder("rekor-test")
        defer { Scratch.remove(folder) }
        let key = P256.Signing.PrivateKey()
        let log = try RekorLog(signingKey: key, directory: folder)
        #expect(log.publicKeyDER == Array(key.publicKey.derRepresentation))
        #expect(try RekorLog(directory: folder).logID == log.logID)
        let mode = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("rekor-signing-key.pem").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
