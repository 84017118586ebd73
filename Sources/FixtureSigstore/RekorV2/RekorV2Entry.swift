public import SafeJSON

/// One Rekor v2 entry as the log answers `POST /api/v2/log/entries`: a `TransparencyLogEntry`
/// (protobuf JSON) with an inclusion proof and checkpoint, and neither SET nor integrated time.
public struct RekorV2Entry: Sendable, Equatable {
    /// Index in the log (v2 logs have no shards: the same index everywhere).
    public let logIndex: Int64
    /// The log's C2SP key ID (see `RekorV2Signer`).
    public let logID: [UInt8]
    /// RFC 8785 JSON of the `hashedrekord` v0.0.2 entry: the Merkle leaf.
    public let body: [UInt8]
    public let inclusionProof: RekorInclusionProof

    /// `TransparencyLogEntry` as protobuf JSON: int64 as strings, bytes base64, `integratedTime` 0 and so omitted.
    public var transparencyLogEntry: JSONValue {
        [
            "logIndex": .string(String(logIndex)),
            "logId": ["keyId": .string(RekorEncoding.base64(logID))],
            "kindVersion": ["kind": "hashedrekord", "version": "0.0.2"],
            "inclusionProof": inclusionProof.protobufJSON,
            "canonicalizedBody": .string(RekorEncoding.base64(body)),
        ]
    }
}
