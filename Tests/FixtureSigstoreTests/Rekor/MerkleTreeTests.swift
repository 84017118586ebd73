import Crypto
import Foundation
import SigstoreVerify
import Testing

@testable import FixtureSigstore

/// RFC 6962 Merkle tree: known answers, and every root and audit path for sizes 1…33 against
/// a from-scratch recursive recomputation and against our OpenSSL consumer's proof check.
@Suite struct MerkleTreeTests {
    /// The leaves of the RFC 6962 test vectors used by certificate-transparency and Trillian.
    static let vectorLeaves: [[UInt8]] = [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
        [0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f],
    ]

    /// Expected roots for the first 1…8 vector leaves.
    static let vectorRoots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    @Test func emptyTreeRootIsHashOfNothing() {
        #expect(RekorEncoding.hex(MerkleTree().rootHash(size: 0)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func rootsMatchRFC6962KnownAnswers() {
        var tree = MerkleTree()
        for leaf in Self.vectorLeaves { tree.append(leafHash: MerkleTree.leafHash(leaf)) }
        for size in 1...8 {
            #expect(RekorEncoding.hex(tree.rootHash(size: size)) == Self.vectorRoots[size - 1], "root of size \(size)")
        }
    }

    @Test func everyRootAndProofUpTo33LeavesMatchesRecomputationAndOurVerifier() throws {
        let leaves = (0..<33).map { Array("leaf \($0)".utf8) }
        var tree = MerkleTree()
        for leaf in leaves { tree.append(leafHash: MerkleTree.leafHash(leaf)) }
        for size in 1...33 {
            let reference = Self.mth(leaves[0..<size])
            #expect(tree.rootHash(size: size) == reference, "root of size \(size)")
            for index in 0..<size {
                let proof = tree.inclusionProof(index: index, size: size)
                #expect(proof == Self.path(index, leaves[0..<size]), "proof for \(index) in \(size)")
                let root = try InclusionProofCheck.rootHash(leaf: InclusionProofCheck.leafHash(leaves[index]), index: Int64(index),
                                                            size: Int64(size), hashes: proof)
                #expect(root == reference, "consumer recomputes the root for \(index) in \(size)")
            }
        }
    }

    @Test func aProofForAnotherIndexDoesNotVerify() throws {
        let leaves = (0..<11).map { Array("entry-\($0)".utf8) }
        var tree = MerkleTree()
        for leaf in leaves { tree.append(leafHash: MerkleTree.leafHash(leaf)) }
        let proof = tree.inclusionProof(index: 4, size: 11)
        let root = try InclusionProofCheck.rootHash(leaf: InclusionProofCheck.leafHash(leaves[4]), index: 5, size: 11, hashes: proof)
        #expect(root != tree.rootHash(size: 11))
    }

    // MARK: - Reference implementation, straight from RFC 6962 §2.1

    static func mth(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
        if leaves.count == 1 { return sha256([0x00] + leaves.first!) }
        let k = largestPowerOfTwo(below: leaves.count)
        let start = leaves.startIndex
        return sha256([0x01] + mth(leaves[start..<start + k]) + mth(leaves[(start + k)...]))
    }

    static func path(_ m: Int, _ leaves: ArraySlice<[UInt8]>) -> [[UInt8]] {
        if leaves.count == 1 { return [] }
        let k = largestPowerOfTwo(below: leaves.count)
        let start = leaves.startIndex
        if m < k { return path(m, leaves[start..<start + k]) + [mth(leaves[(start + k)...])] }
        return path(m - k, leaves[(start + k)...]) + [mth(leaves[start..<start + k])]
    }

    static func largestPowerOfTwo(below n: Int) -> Int {
        var k = 1
        while k * 2 < n { k *= 2 }
        return k
    }

    static func sha256(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }
}
