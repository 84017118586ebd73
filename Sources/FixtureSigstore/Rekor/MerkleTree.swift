import Crypto

/// An append-only RFC 6962 Merkle tree over leaf hashes (PROTOCOLS §6.3).
///
/// Every complete, aligned subtree hash is kept (`levels[k][i]` covers leaves
/// `i·2^k ..< (i+1)·2^k`), so roots and audit paths for any earlier tree size cost
/// O(log² n) hashes instead of rehashing the whole tree.
public struct MerkleTree: Sendable {
    private var levels: [[[UInt8]]] = [[]]

    public init() {}

    /// Number of leaves.
    public var size: Int { levels[0].count }

    /// RFC 6962 leaf hash: SHA-256(0x00 || leaf).
    public static func leafHash(_ leaf: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: leaf)
        return Array(hasher.finalize())
    }

    /// RFC 6962 interior node hash: SHA-256(0x01 || left || right).
    public static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
    }

    /// Appends a leaf hash and completes every subtree it closes.
    public mutating func append(leafHash: [UInt8]) {
        precondition(leafHash.count == 32, "leaf hashes are 32 bytes")
        levels[0].append(leafHash)
        var level = 0
        while levels[level].count % 2 == 0 {
            let count = levels[level].count
            let parent = Self.nodeHash(levels[level][count - 2], levels[level][count - 1])
            if levels.count == level + 1 { levels.append([]) }
            levels[level + 1].append(parent)
            level += 1
        }
    }

    /// The leaf hash at `index`.
    public func leaf(at index: Int) -> [UInt8] { levels[0][index] }

    /// MTH of the first `size` leaves; SHA-256 of nothing for the empty tree.
    public func rootHash(size: Int) -> [UInt8] {
        precondition(size >= 0 && size <= self.size, "tree size \(size) outside 0...\(self.size)")
        if size == 0 { return Array(SHA256.hash(data: [UInt8]())) }
        return subtreeHash(start: 0, count: size)
    }

    /// The audit path (leaf to root) of leaf `index` in the tree of the first `size` leaves: RFC 6962 PATH(m, D[n]).
    public func inclusionProof(index: Int, size: Int) -> [[UInt8]] {
        precondition(size <= self.size && index >= 0 && index < size, "index \(index) outside a tree of size \(size)")
        var start = 0, count = size, position = index
        var siblings: [[UInt8]] = []
        while count > 1 {
            let split = Self.largestPowerOfTwo(below: count)
            if position < split {
                siblings.append(subtreeHash(start: start + split, count: count - split))
                count = split
            } else {
                siblings.append(subtreeHash(start: start, count: split))
                start += split
                count -= split
                position -= split
            }
        }
        // Collected root-first; RFC 6962 (and Trillian) order is leaf-first.
        return siblings.reversed()
    }

    /// MTH(D[start ..< start+count]) following RFC 6962's left-heavy split.
    private func subtreeHash(start: Int, count: Int) -> [UInt8] {
        if count & (count - 1) == 0, start % count == 0 {
            let level = count.trailingZeroBitCount
            return levels[level][start / count]
        }
        let split = Self.largestPowerOfTwo(below: count)
        return Self.nodeHash(subtreeHash(start: start, count: split), subtreeHash(start: start + split, count: count - split))
    }

    /// The largest power of two strictly less than `n` (n ≥ 2).
    static func largestPowerOfTwo(below n: Int) -> Int {
        1 << (Int.bitWidth - (n - 1).leadingZeroBitCount - 1)
    }
}
