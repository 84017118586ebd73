/// The RFC 6962 Merkle tree of a Rekor log (v1 or v2) with its latest checkpoint, signed once per
/// tree size; kept under the log's lock.
struct SignedTree: Sendable {
    private(set) var tree = MerkleTree()
    private var cached: (size: Int, note: String)?

    /// Number of leaves.
    var size: Int { tree.size }

    mutating func append(leafHash: [UInt8]) { tree.append(leafHash: leafHash) }

    /// The leaf hash at `index`.
    func leaf(at index: Int) -> [UInt8] { tree.leaf(at: index) }

    /// The root hash of the current tree.
    var rootHash: [UInt8] { tree.rootHash(size: size) }

    /// The checkpoint of the current size, signed by `sign(treeSize, rootHash)` when the size changed.
    mutating func checkpoint(_ sign: (Int, [UInt8]) throws(RekorError) -> String) throws(RekorError) -> String {
        if let cached, cached.size == size { return cached.note }
        let note = try sign(size, rootHash)
        cached = (size, note)
        return note
    }

    /// The inclusion proof of the leaf at `index` against the current tree and its checkpoint.
    mutating func proof(index: Int, _ sign: (Int, [UInt8]) throws(RekorError) -> String) throws(RekorError) -> RekorInclusionProof {
        let checkpoint = try checkpoint(sign)
        return RekorInclusionProof(logIndex: Int64(index), treeSize: Int64(size), rootHash: rootHash,
                                   hashes: tree.inclusionProof(index: index, size: size), checkpoint: checkpoint)
    }
}
