import OpenSSLCrypto
public import SigstoreModels
import CodedError

/// Recomputes an RFC 6962 Merkle root from an inclusion proof, PROTOCOLS §6.3.
public struct InclusionProofCheck: Sendable {
    public init() {}

    /// RFC 6962 leaf hash: SHA-256(0x00 || leaf).
    public static func leafHash(_ leaf: [UInt8]) -> [UInt8] { Digest.hash(.sha256, [0] + leaf) }

    /// RFC 6962 interior node hash: SHA-256(0x01 || left || right).
    public static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] { Digest.hash(.sha256, [1] + left + right) }

    /// Throws `.inclusionProof` unless `proof` places `body` at `proof.logIndex` under `proof.rootHash`.
    public func verify(body: [UInt8], proof: TransparencyLogEntry.InclusionProof) throws {
        let root = try Self.rootHash(leaf: Self.leafHash(body), index: proof.logIndex, size: proof.treeSize, hashes: proof.hashes)
        guard constantTimeEquals(root, proof.rootHash) else {
            throw VerificationError(.inclusionProof, "inclusion proof for index \(proof.logIndex) of tree size \(proof.treeSize) computes a root hash that differs from rootHash")
        }
    }

    /// The root implied by `hashes` (leaf to root order) for a leaf at `index` in a tree of `size`.
    public static func rootHash(leaf: [UInt8], index: Int64, size: Int64, hashes: [[UInt8]]) throws -> [UInt8] {
        guard index >= 0, index < size else {
            throw VerificationError(.inclusionProof, "expected 0 <= index < tree size, found index \(index), size \(size)")
        }
        let lastIndex = UInt64(size - 1), position = UInt64(index)
        let inner = 64 - (position ^ lastIndex).leadingZeroBitCount
        let border = (position >> UInt64(inner)).nonzeroBitCount
        guard hashes.count == inner + border else {
            throw VerificationError(.inclusionProof, "expected \(inner + border) proof hashes, found \(hashes.count)")
        }
        guard hashes.allSatisfy({ $0.count == 32 }) else {
            throw VerificationError(.inclusionProof, "expected 32-byte proof hashes")
        }
        var result = leaf
        for (level, sibling) in hashes.prefix(inner).enumerated() {
            result = (position >> UInt64(level)) & 1 == 1 ? nodeHash(sibling, result) : nodeHash(result, sibling)
        }
        for sibling in hashes.dropFirst(inner) { result = nodeHash(sibling, result) }
        return result
    }
}
