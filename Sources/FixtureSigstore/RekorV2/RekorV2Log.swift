public import Crypto
public import Foundation
public import SafeJSON
import Synchronization

/// The world's Rekor v2 log (rekor-tiles, like log2025-1.rekor.sigstore.dev): `hashedrekord` v0.0.2
/// entries only, an RFC 6962 Merkle tree over their canonical bodies, and C2SP signed-note
/// checkpoints signed with an Ed25519 key. Entries are integrated synchronously: the answer to a
/// write carries the inclusion proof against a fresh checkpoint; there is no SET and no
/// integrated time (signing time comes from the timestamp authority).
///
/// In memory by default; given a folder, its key and entries persist there (`RekorV2Store`).
public final class RekorV2Log: Sendable {
    private struct State: Sendable {
        var tree = SignedTree()
        var bodies: [[UInt8]] = []
        var indexByLeafHash: [[UInt8]: Int] = [:]
    }

    let signer: RekorV2Signer
    private let store: RekorV2Store?
    private let state: Mutex<State>

    /// Opens a log named `name` (origin and signer name; the host of its trusted-root `baseUrl`).
    public init(name: String = "log2025-1.rekor.fixture.invalid", signingKey: Curve25519.Signing.PrivateKey? = nil,
                directory: URL? = nil) throws(RekorError) {
        let store = try directory.map { (url) throws(RekorError) in try RekorV2Store(directory: url) }
        let key = try store?.signingKey(given: signingKey) ?? signingKey ?? Curve25519.Signing.PrivateKey()
        signer = RekorV2Signer(privateKey: key, name: name)
        self.store = store
        var initial = State()
        for body in try store?.loadBodies() ?? [] { Self.insert(body, into: &initial) }
        state = Mutex(initial)
    }

    /// Origin and signer name of every checkpoint.
    public var name: String { signer.name }
    /// The C2SP key ID: the bundle's `logId.keyId`.
    public var logID: [UInt8] { signer.logID }
    /// DER SubjectPublicKeyInfo of the Ed25519 log key.
    public var publicKeyDER: [UInt8] { signer.publicKeyDER }
    /// Number of entries.
    public var treeSize: Int { state.withLock { $0.bodies.count } }

    /// Verifies and logs a `CreateEntryRequest` (the body of `POST /api/v2/log/entries`); an entry
    /// already logged is answered again, as rekor-tiles' deduplication does.
    public func append(request: Data) throws(RekorError) -> RekorV2Entry {
        let body = try RekorV2Request.canonicalBody(request)
        return try state.withLock { (state: inout State) throws(RekorError) -> RekorV2Entry in
            if let existing = state.indexByLeafHash[MerkleTree.leafHash(body)] { return try view(existing, in: &state) }
            try store?.append(body)
            Self.insert(body, into: &state)
            return try view(state.bodies.count - 1, in: &state)
        }
    }

    /// The entry at `logIndex` with a proof against the current tree (404 when absent).
    public func entry(logIndex: Int64) throws(RekorError) -> RekorV2Entry {
        try state.withLock { (state: inout State) throws(RekorError) -> RekorV2Entry in
            guard logIndex >= 0, logIndex < Int64(state.bodies.count) else {
                throw RekorError(.notFound, "no entry at logIndex \(logIndex); the log holds 0..<\(state.bodies.count)")
            }
            return try view(Int(logIndex), in: &state)
        }
    }

    /// The signed checkpoint of the current tree.
    public func checkpoint() throws(RekorError) -> String {
        try state.withLock { (state: inout State) throws(RekorError) -> String in try checkpoint(in: &state) }
    }

    /// This log as a `tlogs[]` item of `trusted_root.json` (TrustedRoot v0.2, like the public-good log2025-1 entry).
    public func trustedRootTlog(validFrom: Date) -> JSONValue {
        let keyID: JSONValue = ["keyId": .string(RekorEncoding.base64(logID))]
        return [
            "baseUrl": .string("https://\(name)"),
            "hashAlgorithm": "SHA2_256",
            "publicKey": [
                "rawBytes": .string(RekorEncoding.base64(publicKeyDER)),
                "keyDetails": "PKIX_ED25519",
                "validFor": ["start": .string(IdentityTime.rfc3339(validFrom))],
            ],
            "logId": keyID,
            "checkpointKeyId": keyID,
            "operator": "mochi-fixture",
        ]
    }

    private static func insert(_ body: [UInt8], into state: inout State) {
        let leaf = MerkleTree.leafHash(body)
        state.tree.append(leafHash: leaf)
        state.indexByLeafHash[leaf] = state.bodies.count
        state.bodies.append(body)
    }

    private func checkpoint(in state: inout State) throws(RekorError) -> String {
        try state.tree.checkpoint(signer.checkpoint(treeSize:rootHash:))
    }

    private func view(_ index: Int, in state: inout State) throws(RekorError) -> RekorV2Entry {
        let proof = try state.tree.proof(index: index, signer.checkpoint(treeSize:rootHash:))
        return RekorV2Entry(logIndex: Int64(index), logID: logID, body: state.bodies[index], inclusionProof: proof)
    }
}
