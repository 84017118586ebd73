import Crypto
public import Foundation
import Hex
import SafeJSON
public import CodedError
public import SigstoreModels

/// The wire format of Rekor's `POST /api/v1/log/entries` as sigstore-js speaks it: the
/// proposed entry (`dsse` 0.0.1 for npm ≥ 11, `intoto` 0.0.2 for npm 10) and the response.
public enum RekorExchange {
    /// `{"apiVersion":"0.0.1","kind":"dsse","spec":{"proposedContent":{"envelope":"<JSON text>","verifiers":["<b64 PEM>"]}}}`.
    public static func dsseProposal(envelope: OrderedJSON, certificatePEM: String) -> OrderedJSON {
        .object([
            ("apiVersion", .string("0.0.1")),
            ("kind", .string("dsse")),
            ("spec", .object([("proposedContent", .object([
                ("envelope", .string(envelope.text)),
                ("verifiers", .array([.string(Data(certificatePEM.utf8).base64EncodedString())])),
            ]))])),
        ])
    }

    /// The `intoto` 0.0.2 proposal npm 10 sends: payload and signature double-base64, the
    /// client-computed envelope hash (RFC 8785 JSON of the envelope with the PEM key) and payload hash.
    public static func intotoProposal(payload: [UInt8], payloadType: String, signature: [UInt8], certificatePEM: String) -> OrderedJSON {
        let payloadB64 = Data(payload).base64EncodedString()
        let sigB64 = Data(signature).base64EncodedString()
        // Canonical (sorted-key, compact) form of {payloadType, payload, signatures:[{sig, publicKey}]}.
        let canonical = OrderedJSON.object([
            ("payload", .string(payloadB64)),
            ("payloadType", .string(payloadType)),
            ("signatures", .array([.object([("publicKey", .string(certificatePEM)), ("sig", .string(sigB64))])])),
        ])
        let envelopeHash = Hex.encode(SHA256.hash(data: canonical.bytes))
        let payloadHash = Hex.encode(SHA256.hash(data: payload))
        return .object([
            ("apiVersion", .string("0.0.2")),
            ("kind", .string("intoto")),
            ("spec", .object([("content", .object([
                ("envelope", .object([
                    ("payloadType", .string(payloadType)),
                    ("payload", .string(Data(payloadB64.utf8).base64EncodedString())),
                    ("signatures", .array([.object([
                        ("sig", .string(Data(sigB64.utf8).base64EncodedString())),
                        ("publicKey", .string(Data(certificatePEM.utf8).base64EncodedString())),
                    ])])),
                ])),
                ("hash", .object([("algorithm", .string("sha256")), ("value", .string(envelopeHash))])),
                ("payloadHash", .object([("algorithm", .string("sha256")), ("value", .string(payloadHash))])),
            ]))])),
        ])
    }

    /// Parses the 201 body `{"<uuid>": {body, integratedTime, logID, logIndex, verification}}`.
    public static func entry(fromResponse data: Data, url: String) throws(PublishError) -> TransparencyLogEntry {
        func fail(_ what: String) -> PublishError {
            PublishError(.rekor, "POST \(url): expected \(what), found \(Snippet.of(data))")
        }
        guard let object = (try? JSONValue.parse(data))?.objectValue else { throw fail("a JSON object") }
        guard object.count == 1, let entry = object.values.first?.objectValue else { throw fail("exactly one entry keyed by its UUID") }
        guard let body = entry["body"]?.stringValue, let bodyBytes = Data(base64Encoded: body),
              let kindVersion = (try? JSONValue.parse(bodyBytes))?.objectValue,
              let kind = kindVersion["kind"]?.stringValue, let version = kindVersion["apiVersion"]?.stringValue else {
            throw fail("\"body\" to be base64 of a JSON entry with kind and apiVersion")
        }
        guard let logIDHex = entry["logID"]?.stringValue, let logID = Hex.decode(logIDHex), logID.count == 32 else {
            throw fail("\"logID\" as 64 hex digits")
        }
        guard let logIndex = Int64(exactly: entry["logIndex"]?.numberValue ?? -1), logIndex >= 0,
              let integratedTime = Int64(exactly: entry["integratedTime"]?.numberValue ?? -1), integratedTime >= 0 else {
            throw fail("non-negative integer \"logIndex\" and \"integratedTime\"")
        }
        let verification = entry["verification"]
        var set: [UInt8]?
        if let text = verification?["signedEntryTimestamp"]?.stringValue {
            guard let bytes = Data(base64Encoded: text) else { throw fail("verification.signedEntryTimestamp in base64") }
            set = Array(bytes)
        }
        var proof: TransparencyLogEntry.InclusionProof?
        if let p = verification?["inclusionProof"] {
            guard let index = Int64(exactly: p["logIndex"]?.numberValue ?? -1), index >= 0,
                  let size = Int64(exactly: p["treeSize"]?.numberValue ?? -1), size > index,
                  let root = p["rootHash"]?.stringValue.flatMap(Hex.decode),
                  let hashes = p["hashes"]?.arrayValue?.map({ $0.stringValue.flatMap(Hex.decode) }),
                  let checkpoint = p["checkpoint"]?.stringValue else {
                throw fail("verification.inclusionProof with logIndex < treeSize, hex rootHash and hashes, and a checkpoint")
            }
            let decoded = hashes.compactMap { $0 }
            guard decoded.count == hashes.count else { throw fail("inclusionProof.hashes in hex") }
            proof = .init(logIndex: index, rootHash: root, treeSize: size, hashes: decoded, checkpoint: checkpoint)
        }
        return TransparencyLogEntry(logIndex: logIndex, logID: logID, kind: kind, version: version, integratedTime: integratedTime,
                                    signedEntryTimestamp: set, inclusionProof: proof, canonicalizedBody: Array(bodyBytes))
    }
}
