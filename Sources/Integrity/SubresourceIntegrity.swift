import Foundation
import OpenSSLCrypto

/// A Subresource Integrity string (`sha512-<base64> sha1-<base64>`) as npm's ssri reads it.
///
/// Unknown algorithms are kept out; malformed hashes are ignored like ssri does,
/// and an integrity with no usable hash is an error.
public struct SubresourceIntegrity: Sendable, Hashable, CustomStringConvertible {
    /// One `algorithm-digest` pair.
    public struct Hash: Sendable, Hashable {
        public let algorithm: DigestAlgorithm
        public let digest: [UInt8]
        public var base64: String { Data(digest).base64EncodedString() }
    }

    public let hashes: [Hash]

    /// Parses an SRI string; throws when it holds no valid sha1/sha256/sha384/sha512 hash.
    public init(_ text: String) throws {
        var parsed: [Hash] = []
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) {
            let withoutOptions = token.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
            guard let dash = withoutOptions.firstIndex(of: "-") else { continue }
            guard let algorithm = DigestAlgorithm(rawValue: String(withoutOptions[..<dash]).lowercased()) else { continue }
            let b64 = String(withoutOptions[withoutOptions.index(after: dash)...])
            guard let data = Data(base64Encoded: b64), data.count == algorithm.byteCount else { continue }
            parsed.append(Hash(algorithm: algorithm, digest: Array(data)))
        }
        guard !parsed.isEmpty else { throw IntegrityError.unusable(text) }
        hashes = parsed
    }

    public init(hashes: [Hash]) {
        precondition(!hashes.isEmpty, "an integrity needs at least one hash")
        self.hashes = hashes
    }

    /// The SRI for `algorithm` over `bytes`.
    public static func of<Bytes: Sequence<UInt8>>(_ bytes: Bytes, algorithm: DigestAlgorithm = .sha512) -> SubresourceIntegrity {
        SubresourceIntegrity(hashes: [Hash(algorithm: algorithm, digest: Digest.hash(algorithm, bytes))])
    }

    /// The SRI npm builds from a legacy hex `shasum` when `integrity` is absent.
    public static func fromHexSHA1(_ hex: String) throws -> SubresourceIntegrity {
        guard let bytes = hexBytes(hex), bytes.count == DigestAlgorithm.sha1.byteCount else {
            throw IntegrityError.unusable("shasum \(hex)")
        }
        return SubresourceIntegrity(hashes: [Hash(algorithm: .sha1, digest: bytes)])
    }

    /// The strongest algorithm present (ssri's `pickAlgorithm`): sha512 > sha384 > sha256 > sha1.
    public var strongestAlgorithm: DigestAlgorithm {
        let order: [DigestAlgorithm] = [.sha512, .sha384, .sha256, .sha1]
        return order.first { algorithm in hashes.contains { $0.algorithm == algorithm } } ?? .sha1
    }

    /// The hashes of the strongest algorithm; a match against any of them passes.
    public var strongestHashes: [Hash] { hashes.filter { $0.algorithm == strongestAlgorithm } }

    /// Whether `digest` (computed with `strongestAlgorithm`) matches, compared in constant time.
    public func matches(digest: [UInt8]) -> Bool {
        strongestHashes.contains { constantTimeEquals($0.digest, digest) }
    }

    /// Normalised form as ssri prints it: `alg-base64` joined by spaces.
    public var description: String {
        hashes.map { "\($0.algorithm.rawValue)-\($0.base64)" }.joined(separator: " ")
    }

    /// The strongest hash alone, as a string (what lockfiles and reports show).
    public var strongestDescription: String {
        strongestHashes.map { "\($0.algorithm.rawValue)-\($0.base64)" }.joined(separator: " ")
    }
}

/// Integrity failures, named after what was expected.
public enum IntegrityError: Error, CustomStringConvertible, Equatable {
    case unusable(String)

    public var description: String {
        switch self {
        case .unusable(let text): "integrity '\(text)' holds no valid sha1, sha256, sha384 or sha512 hash"
        }
    }
}

func hexBytes(_ hex: String) -> [UInt8]? {
    let chars = Array(hex.utf8)
    guard chars.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(chars.count / 2)
    var index = 0
    while index < chars.count {
        guard let high = hexValue(chars[index]), let low = hexValue(chars[index + 1]) else { return nil }
        out.append(high << 4 | low)
        index += 2
    }
    return out
}

private func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
    default: nil
    }
}

extension Array where Element == UInt8 {
    /// Lower-case hex, as `shasum` and in-toto digests are written.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
