public import Foundation
import SafeJSON
public import CodedError
public import SigstoreModels

/// The wire format of Rekor v2's `POST /api/v2/log/entries` as public-good's newest clients speak it
/// (sigstore-python 4, sigstore-go): DSSE is logged as a `hashedrekord` v0.0.2 over SHA-256 of the
/// PAE, with the Fulcio leaf as verifier; the answer is the bundle's `TransparencyLogEntry` itself.
public enum RekorV2Exchange {
    /// `{"hashedRekordRequestV002": {"digest", "signature": {"content", "verifier": {"x509Certificate": {"rawBytes"}, "keyDetails"}}}}`.
    public static func hashedRekordRequest(digest: [UInt8], signature: [UInt8], certificateDER: [UInt8]) -> OrderedJSON {
        .object([("hashedRekordRequestV002", .object([
            ("digest", .string(b64(digest))),
            ("signature", .object([
                ("content", .string(b64(signature))),
                ("verifier", .object([
                    ("x509Certificate", .object([("rawBytes", .string(b64(certificateDER)))])),
                    ("keyDetails", .string("PKIX_ECDSA_P256_SHA_256")),
                ])),
            ])),
        ]))])
    }

    /// Parses the 201 body (a `TransparencyLogEntry` in protobuf JSON) and checks it records `signature`.
    public static func entry(fromResponse data: Data, signature: [UInt8], url: String) throws(PublishError) -> TransparencyLogEntry {
        func fail(_ what: String) -> PublishError { PublishError(.rekor, "POST \(url): expected \(what), found \(Snippet.of(data))") }
        guard let entry = (try? JSONValue.parse(data))?.objectValue else { throw fail("a JSON TransparencyLogEntry") }
        guard let index = entry["logIndex"]?.stringValue.flatMap({ Int64($0) }), index >= 0,
              let logID = entry["logId"]?["keyId"]?.stringValue.flatMap({ Data(base64Encoded: $0) }), logID.count == 32 else {
            throw fail("a decimal-string logIndex and a 32-byte base64 logId.keyId")
        }
        guard entry["kindVersion"]?["kind"]?.stringValue == "hashedrekord", entry["kindVersion"]?["version"]?.stringValue == "0.0.2" else {
            throw fail("kindVersion hashedrekord 0.0.2")
        }
        guard let body = entry["canonicalizedBody"]?.stringValue.flatMap({ Data(base64Encoded: $0) }),
              let logged = (try? JSONValue.parse(body))?["spec"]?["hashedRekordV002"]?["signature"]?["content"]?.stringValue,
              logged == b64(signature) else {
            throw fail("a canonicalizedBody whose hashedRekordV002 records our signature")
        }
        guard let p = entry["inclusionProof"], let proofIndex = p["logIndex"]?.stringValue.flatMap({ Int64($0) }),
              let size = p["treeSize"]?.stringValue.flatMap({ Int64($0) }), size > proofIndex, proofIndex >= 0,
              let root = p["rootHash"]?.stringValue.flatMap({ Data(base64Encoded: $0) }),
              let hashes = p["hashes"]?.arrayValue?.compactMap({ $0.stringValue.flatMap { Data(base64Encoded: $0) } }),
              hashes.count == p["hashes"]?.arrayValue?.count, let checkpoint = p["checkpoint"]?["envelope"]?.stringValue else {
            throw fail("an inclusionProof with logIndex < treeSize, base64 rootHash and hashes, and a checkpoint envelope")
        }
        let proof = TransparencyLogEntry.InclusionProof(logIndex: proofIndex, rootHash: Array(root), treeSize: size,
                                                        hashes: hashes.map(Array.init), checkpoint: checkpoint)
        return TransparencyLogEntry(logIndex: index, logID: Array(logID), kind: "hashedrekord", version: "0.0.2", integratedTime: nil,
                                    signedEntryTimestamp: nil, inclusionProof: proof, canonicalizedBody: Array(body))
    }

    private static func b64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
}
