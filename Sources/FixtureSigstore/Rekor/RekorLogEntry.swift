public import SafeJSON

/// An RFC 6962 inclusion proof with the signed checkpoint of the tree it is against.
public struct RekorInclusionProof: Sendable, Equatable {
    /// Index of the leaf inside this tree (shard); differs from the global `logIndex` by the log's offset.
    public let logIndex: Int64
    public let treeSize: Int64
    public let rootHash: [UInt8]
    /// Sibling hashes, leaf to root.
    public let hashes: [[UInt8]]
    /// The signed note for `treeSize`/`rootHash` (PROTOCOLS §6.5).
    public let checkpoint: String

    /// The proof as a bundle's (and Rekor v2's) protobuf JSON: int64s as decimal strings, bytes as base64.
    public var protobufJSON: JSONValue {
        [
            "logIndex": .string(String(logIndex)),
            "rootHash": .string(RekorEncoding.base64(rootHash)),
            "treeSize": .string(String(treeSize)),
            "hashes": .array(hashes.map { .string(RekorEncoding.base64($0)) }),
            "checkpoint": ["envelope": .string(checkpoint)],
        ]
    }
}

/// One logged entry with its verification material, as the log hands it out.
public struct RekorLogEntry: Sendable, Equatable {
    /// 16 hex digits of the tree ID, then the 64-hex leaf hash (Rekor's entry UUID).
    public let uuid: String
    /// Global (virtual) index: what the SET signs and the bundle's `logIndex` carries.
    public let logIndex: Int64
    /// SHA-256 of the log's DER SubjectPublicKeyInfo.
    public let logID: [UInt8]
    public let kind: String
    public let apiVersion: String
    /// The canonical body: the Merkle leaf and the bundle's `canonicalizedBody`.
    public let body: [UInt8]
    /// Seconds since the epoch, from the log's clock.
    public let integratedTime: Int64
    /// DER ECDSA signature over the canonical `{body, integratedTime, logID, logIndex}` (PROTOCOLS §6.4).
    public let signedEntryTimestamp: [UInt8]
    public let inclusionProof: RekorInclusionProof

    /// Rekor's `LogEntryAnon` (hex root and hashes, numbers bare).
    public var logEntryAnon: JSONValue {
        [
            "body": .string(RekorEncoding.base64(body)),
            "integratedTime": .number(Double(integratedTime)),
            "logID": .string(RekorEncoding.hex(logID)),
            "logIndex": .number(Double(logIndex)),
            "verification": [
                "signedEntryTimestamp": .string(RekorEncoding.base64(signedEntryTimestamp)),
                "inclusionProof": [
                    "checkpoint": .string(inclusionProof.checkpoint),
                    "hashes": .array(inclusionProof.hashes.map { .string(RekorEncoding.hex($0)) }),
                    "logIndex": .number(Double(inclusionProof.logIndex)),
                    "rootHash": .string(RekorEncoding.hex(inclusionProof.rootHash)),
                    "treeSize": .number(Double(inclusionProof.treeSize)),
                ],
            ],
        ]
    }

    /// The body of `POST /api/v1/log/entries` (201) and `GET /api/v1/log/entries?logIndex=`: `{uuid: LogEntryAnon}`.
    public var apiResponse: JSONValue { .object([uuid: logEntryAnon]) }

    /// The bundle's `verificationMaterial.tlogEntries[]` item, as sigstore-js builds it from the
    /// API response (PROTOCOLS §4.3): int64s as decimal strings, bytes as base64.
    public var bundleTlogEntry: JSONValue {
        [
            "logIndex": .string(String(logIndex)),
            "logId": ["keyId": .string(RekorEncoding.base64(logID))],
            "kindVersion": ["kind": .string(kind), "version": .string(apiVersion)],
            "integratedTime": .string(String(integratedTime)),
            "inclusionPromise": ["signedEntryTimestamp": .string(RekorEncoding.base64(signedEntryTimestamp))],
            "inclusionProof": inclusionProof.protobufJSON,
            "canonicalizedBody": .string(RekorEncoding.base64(body)),
        ]
    }
}
