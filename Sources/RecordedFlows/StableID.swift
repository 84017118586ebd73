import Foundation
import Hex

/// Deterministic UUID-shaped identifiers (FNV-1a over the text): pinned `jti`s that differ per recording.
enum StableID {
    static func uuid(for text: String) -> String {
        func fnv(_ basis: UInt64) -> UInt64 {
            text.utf8.reduce(basis) { ($0 ^ UInt64($1)) &* 0x100000001b3 }
        }
        let bytes = [fnv(0xcbf29ce484222325), fnv(0x84222325cbf29ce4)].flatMap { value in
            (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
        }
        let hex = Hex.encode(bytes)
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }
}
