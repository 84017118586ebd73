public import Crypto
public import Foundation
public import SafeJSON
import Synchronization

/// The fixture world's Rekor-like transparency log (PROTOCOLS §6): accepts `dsse` 0.0.1 and
/// `intoto` 0.0.2 entries, keeps an RFC 6962 Merkle tree over their canonical bodies, and hands
/// out signed entry timestamps, inclusion proofs and signed checkpoints.
///
/// In memory by default; given a folder, it persists its key and every entry there and reloads
/// them, so a restarted world keeps its log. Time comes from an injected clock so recorded flows
/// can pin `integratedTime`. HTTP is a thin adapter (``addRoutes(to:prefix:)``).
public final class RekorLog: Sendable {
    /// Names and numbering of the log.
    public struct Configuration: Sendable {
        /// Checkpoint signer name and origin host (public Rekor: `rekor.sigstore.dev`).
        public var hostname: String
        /// Trillian tree ID; nil derives a stable one from the log ID.
        public var treeID: Int64?
        /// Added to the tree index to form the global `logIndex` (public Rekor's virtual index across shards).
        public var indexOffset: Int64

        public init(hostname: String = "fixture-rekor.mochi.test", treeID: Int64? = nil, indexOffset: Int64 = 0) {
            self.hostname = hostname
            self.treeID = treeID
            self.indexOffset = indexOffset
        }
    }

    private struct State: Sendable {
        var tree = SignedTree()
        var records: [RekorStore.Record] = []
        var indexByLeafHash: [[UInt8]: Int] = [:]
    }

    let signer: RekorSigner
    /// Trillian tree ID; the first 16 hex digits of every entry UUID.
    public let treeID: Int64
    public let indexOffset: Int64
    private let clock: @Sendable () -> Date
    private let store: RekorStore?
    private let state: Mutex<State>

    /// Opens a log.
    /// - Parameters:
    ///   - signingKey: the log key; nil generates one (or, with a folder, uses the stored one).
    ///   - configuration: hostname, tree ID and index offset.
    ///   - directory: where to persist the key and entries; nil keeps everything in memory.
    ///   - clock: the source of `integratedTime`.
    public init(signingKey: P256.Signing.PrivateKey? = nil, configuration: Configuration = Configuration(),
                directory: URL? = nil, clock: @escaping @Sendable () -> Date = { Date() }) throws(RekorError) {
        let store = try directory.map { (url) throws(RekorError) in try RekorStore(directory: url) }
        let key = try store?.signingKey(given: signingKey) ?? signingKey ?? P256.Signing.PrivateKey()
        let logID = RekorEncoding.sha256(key.publicKey.derRepresentation)
        let treeID = configuration.treeID ?? Int64(bitPattern: logID.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } >> 1)
        signer = RekorSigner(privateKey: key, name: configuration.hostname, origin: "\(configuration.hostname) - \(treeID)")
        self.treeID = treeID
        indexOffset = configuration.indexOffset
        self.clock = clock
        self.store = store

        var initial = State()
        for record in try store?.loadRecords() ?? [] {
            guard signer.isValidEntryTimestamp(record.signedEntryTimestamp, body: record.body, integratedTime: record.integratedTime,
                                               logIndex: Int64(record.logIndex) + indexOffset) else {
                throw RekorError(.storage, "\(store!.entriesURL.path) entry \(record.logIndex): its signed entry timestamp does not verify with the log key and index offset \(indexOffset)")
            }
            Self.insert(record, into: &initial)
        }
        state = Mutex(initial)
    }

    // MARK: - Identity

    /// DER SubjectPublicKeyInfo of the log key.
    public var publicKeyDER: [UInt8] { signer.publicKeyDER }
    /// SHA-256 of ``publicKeyDER``: the bundle's `logId.keyId` and the API's `logID` (hex).
    public var logID: [UInt8] { signer.logID }
    /// The log's public key.
    public var publicKey: P256.Signing.PublicKey { signer.privateKey.publicKey }
    /// First line of every checkpoint: `<hostname> - <treeID>`.
    public var origin: String { signer.origin }
    /// The log key as PEM (`GET /api/v1/log/publicKey`).
    public var publicKeyPEM: String { RekorEncoding.pem(type: "PUBLIC KEY", der: publicKeyDER) }

    // MARK: - Writing

    /// Verifies and logs a proposed entry (the body of `POST /api/v1/log/entries`).
    ///
    /// Throws 400 for malformed or unverifiable proposals, 409 when an equal entry is logged, 500 when storage fails.
    public func append(proposedEntry: Data) throws(RekorError) -> RekorLogEntry {
        let entry = try RekorProposal.canonicalize(proposedEntry)
        return try state.withLock { (state: inout State) throws(RekorError) -> RekorLogEntry in
            // Read under the lock so integrated times never go backwards along the log.
            let integratedTime = Int64(clock().timeIntervalSince1970.rounded(.down))
            let leafHash = MerkleTree.leafHash(entry.body)
            if let existing = state.indexByLeafHash[leafHash] {
                throw RekorError(.conflict, "an equivalent entry already exists in the transparency log with UUID \(uuid(leafHash)) at logIndex \(Int64(existing) + indexOffset)",
                                 existingUUID: uuid(leafHash))
            }
            let index = state.records.count
            let set = try signer.signEntryTimestamp(body: entry.body, integratedTime: integratedTime, logIndex: Int64(index) + indexOffset)
            let record = RekorStore.Record(logIndex: index, kind: entry.kind, apiVersion: entry.apiVersion, body: entry.body,
                                           integratedTime: integratedTime, signedEntryTimestamp: set)
            try store?.append(record)
            Self.insert(record, into: &state)
            return try view(index, in: &state)
        }
    }

    private static func insert(_ record: RekorStore.Record, into state: inout State) {
        let leafHash = MerkleTree.leafHash(record.body)
        state.tree.append(leafHash: leafHash)
        state.records.append(record)
        state.indexByLeafHash[leafHash] = record.logIndex
    }

    // MARK: - Reading

    /// Number of entries.
    public var treeSize: Int { state.withLock { $0.records.count } }

    /// The entry at global index `logIndex`, with a proof against the current tree (404 when absent).
    public func entry(logIndex: Int64) throws(RekorError) -> RekorLogEntry {
        try state.withLock { (state: inout State) throws(RekorError) -> RekorLogEntry in
            let index = logIndex - indexOffset
            guard index >= 0, index < Int64(state.records.count) else {
                throw RekorError(.notFound, "no entry at logIndex \(logIndex); the log holds indexes \(indexOffset)..<\(indexOffset + Int64(state.records.count))")
            }
            return try view(Int(index), in: &state)
        }
    }

    /// The entry with this UUID (80 hex digits, or the 64-hex leaf hash alone), with a proof against the current tree.
    public func entry(uuid text: String) throws(RekorError) -> RekorLogEntry {
        let lower = text.lowercased()
        let leafHex: Substring
        switch lower.count {
        case 64: leafHex = Substring(lower)
        case 80 where lower.hasPrefix(treeIDHex): leafHex = lower.dropFirst(16)
        default: throw RekorError(.notFound, "no entry with UUID \(text.prefix(100))")
        }
        return try state.withLock { (state: inout State) throws(RekorError) -> RekorLogEntry in
            guard let leaf = RekorEncoding.unhex(String(leafHex)), let index = state.indexByLeafHash[leaf] else {
                throw RekorError(.notFound, "no entry with UUID \(text.prefix(100))")
            }
            return try view(index, in: &state)
        }
    }

    /// The signed checkpoint (signed tree head) of the current tree.
    public func checkpoint() throws(RekorError) -> String {
        try state.withLock { (state: inout State) throws(RekorError) -> String in try checkpoint(in: &state) }
    }

    /// `GET /api/v1/log`: `{rootHash (hex), signedTreeHead, treeID, treeSize}`.
    public func logInfo() throws(RekorError) -> JSONValue {
        try state.withLock { (state: inout State) throws(RekorError) -> JSONValue in
            let size = state.records.count
            return [
                "rootHash": .string(RekorEncoding.hex(state.tree.rootHash)),
                "signedTreeHead": .string(try checkpoint(in: &state)),
                "treeID": .string(String(treeID)),
                "treeSize": .number(Double(size)),
            ]
        }
    }

    // MARK: - Helpers (under the lock)

    private func checkpoint(in state: inout State) throws(RekorError) -> String {
        try state.tree.checkpoint(signer.checkpoint(treeSize:rootHash:))
    }

    private func view(_ index: Int, in state: inout State) throws(RekorError) -> RekorLogEntry {
        let record = state.records[index]
        let proof = try state.tree.proof(index: index, signer.checkpoint(treeSize:rootHash:))
        return RekorLogEntry(uuid: uuid(state.tree.leaf(at: index)), logIndex: Int64(index) + indexOffset, logID: logID,
                             kind: record.kind, apiVersion: record.apiVersion, body: record.body,
                             integratedTime: record.integratedTime, signedEntryTimestamp: record.signedEntryTimestamp,
                             inclusionProof: proof)
    }

    /// The tree ID as 16 hex digits, the UUID prefix.
    private var treeIDHex: String {
        let tree = UInt64(bitPattern: treeID)
        return RekorEncoding.hex((0..<8).map { UInt8(truncatingIfNeeded: tree >> (56 - 8 * $0)) })
    }

    /// 16 hex digits of the tree ID followed by the leaf hash in hex.
    private func uuid(_ leafHash: [UInt8]) -> String { treeIDHex + RekorEncoding.hex(leafHash) }
}
