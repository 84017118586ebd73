import Crypto
import Foundation
import SafeJSON
import Testing
import TUF

/// Threshold counting on Sigstore's real root v12 (5 root keys, threshold 3, three real signatures
/// and two empty ones).
@Suite struct ThresholdTests {
    let data: Data
    let envelope: SignedEnvelope
    let root: Root

    init() throws {
        data = try Data(contentsOf: Paths.sigstore.appendingPathComponent("metadata/12.root.json"))
        envelope = try SignedEnvelope.parse(data, expectedType: "root", role: "root")
        root = try Root(envelope)
    }

    func verified(_ signatures: [Signature], role: RoleKeys? = nil) -> Set<String> {
        SignatureThreshold.verifiedKeyIDs(role: role ?? root.roles["root"]!, keys: root.keys,
                                          message: envelope.canonicalSigned, signatures: signatures)
    }

    @Test func realSignaturesMeetTheThreshold() {
        #expect(root.roles["root"]!.threshold == 3)
        #expect(verified(envelope.signatures).count == 3)
    }

    @Test func duplicateSignaturesByOneKeyCountOnce() throws {
        let valid = try #require(envelope.signatures.first { !$0.sig.isEmpty })
        let repeated = Array(repeating: valid, count: 5)
        #expect(verified(repeated) == [valid.keyid])
        let error = try #require(throws: TUFError.self) {
            try SignatureThreshold.require(role: root.roles["root"]!, keys: root.keys, message: envelope.canonicalSigned,
                                           signatures: repeated, roleName: "root", version: 12, rule: "5.3.4", signer: "root v11")
        }
        #expect(error.code == .thresholdNotMet)
        #expect(error.role == "root" && error.version == 12 && error.rule == "5.3.4")
    }

    @Test func onlyKeysAuthorisedForTheRoleCount() {
        // The timestamp role has its own key: root keys' signatures do not count for it.
        #expect(verified(envelope.signatures, role: root.roles["timestamp"]!).isEmpty)
        let two = RoleKeys(keyids: Array(envelope.signatures.filter { !$0.sig.isEmpty }.map(\.keyid).prefix(2)), threshold: 2)
        #expect(verified(envelope.signatures, role: two).count == 2)
    }

    @Test func signaturesOverOtherBytesDoNotCount() {
        var tampered = envelope.canonicalSigned
        tampered[tampered.count / 2] ^= 1
        let count = SignatureThreshold.verifiedKeyIDs(role: root.roles["root"]!, keys: root.keys, message: tampered,
                                                      signatures: envelope.signatures).count
        #expect(count == 0)
    }

    @Test func repeatedKeyIDsInSignaturesAreRefusedWhenParsing() throws {
        var document = try JSONValue.parse(data).objectValue!
        var signatures = document["signatures"]!.arrayValue!
        signatures.append(signatures[1])
        document["signatures"] = .array(signatures)
        let error = try #require(throws: TUFError.self) {
            try SignedEnvelope.parse(JSONValue.object(document).serialized(), expectedType: "root", role: "root")
        }
        #expect(error.code == .duplicateSignature && error.role == "root")
    }

    /// python-tuf counts key ids; a key its delegator lists under two ids is still one signer.
    @Test func oneKeyListedUnderTwoKeyIDsCountsOnce() throws {
        let key = Curve25519.Signing.PrivateKey()
        func root(listedAs ids: [String]) throws -> Data {
            var signed = TestRepository().header("root", 1)
            signed["consistent_snapshot"] = true
            signed["keys"] = .object(Dictionary(uniqueKeysWithValues: ids.map { ($0, TestRepository.keyJSON(key)) }))
            let role: JSONValue = ["keyids": .array(ids.map { .string($0) }), "threshold": 2]
            signed["roles"] = ["root": role, "timestamp": role, "snapshot": role, "targets": role]
            let canonical = try CanonicalJSON.encode(.object(signed))
            let sig = JSONValue.string(TUFEncoding.hex(Array(try key.signature(for: canonical))))
            return try JSONValue.object(["signed": .object(signed),
                                         "signatures": .array(ids.map { ["keyid": .string($0), "sig": sig] })]).serialized()
        }
        let error = try #require(throws: TUFError.self) {
            try TrustedMetadata(rootData: try root(listedAs: ["aa", "bb"]), referenceTime: date("2026-06-01T00:00:00Z"))
        }
        #expect(error.code == .thresholdNotMet && error.role == "root")
    }
}
