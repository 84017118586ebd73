/// One Rekor entry in a bundle (`verificationMaterial.tlogEntries[i]`).
public struct TransparencyLogEntry: Sendable, Equatable {
    /// An RFC 6962 inclusion proof with its signed checkpoint.
    public struct InclusionProof: Sendable, Equatable {
        /// Index inside the tree/shard (not the global `logIndex`).
        public let logIndex: Int64
        public let rootHash: [UInt8]
        public let treeSize: Int64
        /// Sibling hashes, leaf to root.
        public let hashes: [[UInt8]]
        /// The signed note text, or nil when absent.
        public let checkpoint: String?

        public init(logIndex: Int64, rootHash: [UInt8], treeSize: Int64, hashes: [[UInt8]], checkpoint: String?) {
            (self.logIndex, self.rootHash, self.treeSize, self.hashes, self.checkpoint) = (logIndex, rootHash, treeSize, hashes, checkpoint)
        }
    }

    /// Global (virtual) log index, signed in the SET.
    public let logIndex: Int64
    /// SHA-256 of the log's DER public key, as carried in the bundle.
    public let logID: [UInt8]
    public let kind: String
    public let version: String
    /// Seconds since the epoch; nil for Rekor v2 entries without one (0 counts as absent).
    public let integratedTime: Int64?
    public let signedEntryTimestamp: [UInt8]?
    public let inclusionProof: InclusionProof?
    public let canonicalizedBody: [UInt8]

    /// An entry as a log returned it, for a publisher assembling a bundle.
    public init(logIndex: Int64, logID: [UInt8], kind: String, version: String, integratedTime: Int64?,
                signedEntryTimestamp: [UInt8]?, inclusionProof: InclusionProof?, canonicalizedBody: [UInt8]) {
        (self.logIndex, self.logID, self.kind, self.version) = (logIndex, logID, kind, version)
        self.integratedTime = integratedTime == 0 ? nil : integratedTime
        (self.signedEntryTimestamp, self.inclusionProof, self.canonicalizedBody) = (signedEntryTimestamp, inclusionProof, canonicalizedBody)
    }

    public init(json: JSONField) throws {
        logIndex = try json.required("logIndex").nonNegativeInt64()
        logID = try json.required("logId").required("keyId").base64()
        let kindVersion = try json.required("kindVersion")
        kind = try kindVersion.required("kind").string()
        version = try kindVersion.required("version").string()
        let time = try json.optional("integratedTime")?.nonNegativeInt64()
        integratedTime = time == 0 ? nil : time
        signedEntryTimestamp = try json.optional("inclusionPromise")?.required("signedEntryTimestamp").base64()
        if let proof = try json.optional("inclusionProof") {
            inclusionProof = InclusionProof(
                logIndex: try proof.required("logIndex").nonNegativeInt64(),
                rootHash: try proof.required("rootHash").base64(),
                treeSize: try proof.required("treeSize").nonNegativeInt64(),
                hashes: try (try proof.optional("hashes")?.array() ?? []).map { try $0.base64() },
                checkpoint: try proof.optional("checkpoint")?.required("envelope").string())
        } else {
            inclusionProof = nil
        }
        canonicalizedBody = try json.required("canonicalizedBody").base64()
    }
}
