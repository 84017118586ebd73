import FoundationEssentials
import Hex
public import OpenSSLCrypto

/// A Subresource Integrity string (`sha512-<base64>`, or several algorithms separated by spaces),
/// parsed strictly: it names the bytes of one tarball, so it may hold at most one digest per
/// algorithm, and every token must be a well-formed sha1/sha256/sha384/sha512 digest.
///
/// ssri itself is lenient: it keeps several digests of one algorithm and accepts a match against
/// any of them, and it drops malformed tokens. That lets one string vouch for two different byte
/// streams (`sha512-<genuine> sha512-<other>`), so this type refuses both.
public struct SubresourceIntegrity: Sendable, Hashable, CustomStringConvertible {
    /// One `algorithm-digest` pair.
    public struct Hash: Sendable, Hashable, CustomStringConvertible {
        public let algorithm: DigestAlgorithm
        public let digest: [UInt8]
        public var base64: String { Data(digest).base64EncodedString() }
        public var description: String { "\(algorithm.rawValue)-\(base64)" }

        public init(algorithm: DigestAlgorithm, digest: [UInt8]) {
            self.algorithm = algorithm
            self.digest = digest
        }
    }

    /// At most one hash per algorithm, in the order the string gave them.
    public let hashes: [Hash]

    /// Parses `text` strictly; throws on an empty string, a malformed or unknown token, or a
    /// second digest of one algorithm. `?options` suffixes (ssri) are accepted and ignored.
    public init(_ text: String) throws(IntegrityError) {
        if let plain = Self.plainToken(text) {
            hashes = [plain]
            return
        }
        var parsed: [Hash] = []
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) {
            let hash = try Self.parseToken(token, in: text)
            if parsed.contains(where: { $0.algorithm == hash.algorithm }) {
                throw .duplicateAlgorithm(algorithm: hash.algorithm.rawValue, text: text)
            }
            parsed.append(hash)
        }
        guard !parsed.isEmpty else { throw .empty(text) }
        hashes = parsed
    }

    public init(hashes: [Hash]) {
        precondition(!hashes.isEmpty, "an integrity needs at least one hash")
        precondition(Set(hashes.map(\.algorithm)).count == hashes.count, "an integrity holds one hash per algorithm")
        self.hashes = hashes
    }

    /// The one hash of `text` when it is the form registries and lockfiles write: a single token of
    /// ASCII letters, digits and `+/=-`, with no space or `?options`, that parses. Read byte by
    /// byte, where the general parser goes Character by Character (parsing was 1.6% of a 1000-package
    /// install); on such text every byte is a Character, so both read it alike. nil otherwise, and
    /// the general parser gives the verdict and the error.
    private static func plainToken(_ text: String) -> Hash? {
        var text = text
        return text.withUTF8 { bytes -> Hash? in
            guard let dash = bytes.firstIndex(of: UInt8(ascii: "-")),
                  bytes.allSatisfy({ byte in
                      switch byte {
                      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                           UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "-"): true
                      default: false
                      }
                  }),
                  let algorithm = DigestAlgorithm(rawValue: String(decoding: bytes[..<dash], as: UTF8.self)),
                  let digest = Data(base64Encoded: Data(bytes[(dash + 1)...])), digest.count == algorithm.byteCount
            else { return nil }
            return Hash(algorithm: algorithm, digest: Array(digest))
        }
    }

    private static func parseToken(_ token: Substring, in text: String) throws(IntegrityError) -> Hash {
        let withoutOptions = token.prefix { $0 != "?" }
        guard let dash = withoutOptions.firstIndex(of: "-") else { throw .malformed(token: String(token), text: text) }
        guard let algorithm = DigestAlgorithm(rawValue: String(withoutOptions[..<dash])) else {
            throw .unsupportedAlgorithm(token: String(token), text: text)
        }
        let base64 = String(withoutOptions[withoutOptions.index(after: dash)...])
        guard let data = Data(base64Encoded: base64), data.count == algorithm.byteCount else {
            throw .malformed(token: String(token), text: text)
        }
        return Hash(algorithm: algorithm, digest: Array(data))
    }

    /// The SRI for `algorithm` over `bytes`.
    public static func of<Bytes: Sequence<UInt8>>(_ bytes: Bytes, algorithm: DigestAlgorithm = .sha512) -> SubresourceIntegrity {
        SubresourceIntegrity(hashes: [Hash(algorithm: algorithm, digest: Digest.hash(algorithm, bytes))])
    }

    /// The SRI npm builds from a legacy hex `shasum` when `integrity` is absent.
    public static func fromHexSHA1(_ hex: String) throws(IntegrityError) -> SubresourceIntegrity {
        guard let bytes = hexBytes(hex), bytes.count == DigestAlgorithm.sha1.byteCount else {
            throw .malformed(token: hex, text: "shasum \(hex)")
        }
        return SubresourceIntegrity(hashes: [Hash(algorithm: .sha1, digest: bytes)])
    }

    /// The digest of `algorithm`, when the string has one.
    public func digest(_ algorithm: DigestAlgorithm) -> [UInt8]? {
        hashes.first { $0.algorithm == algorithm }?.digest
    }

    /// The strongest algorithm present (ssri's `pickAlgorithm`): sha512 > sha384 > sha256 > sha1.
    public var strongestAlgorithm: DigestAlgorithm { strongest.algorithm }

    /// The hash of the strongest algorithm.
    public var strongest: Hash {
        let order: [DigestAlgorithm] = [.sha512, .sha384, .sha256, .sha1]
        for algorithm in order { if let hash = hashes.first(where: { $0.algorithm == algorithm }) { return hash } }
        return hashes[0]
    }

    /// The strongest hash, as a one-element list (what the cache is keyed by).
    public var strongestHashes: [Hash] { [strongest] }

    /// Whether `digest` (computed with `strongestAlgorithm`) matches, compared in constant time.
    public func matches(digest: [UInt8]) -> Bool {
        constantTimeEquals(strongest.digest, digest)
    }

    /// Normalised form: `alg-base64` joined by spaces.
    public var description: String { hashes.map(\.description).joined(separator: " ") }

    /// The strongest hash alone, as a string (what lockfiles and reports show).
    public var strongestDescription: String { strongest.description }
}

/// Integrity strings that cannot name one tarball.
public enum IntegrityError: Error, CustomStringConvertible, Equatable {
    case empty(String)
    case malformed(token: String, text: String)
    case unsupportedAlgorithm(token: String, text: String)
    case duplicateAlgorithm(algorithm: String, text: String)

    public var description: String {
        switch self {
        case .empty(let text): "integrity '\(text)' holds no hash"
        case .malformed(let token, let text): "integrity '\(text)' has a malformed hash '\(token)'"
        case .unsupportedAlgorithm(let token, let text):
            "integrity '\(text)' has '\(token)', whose algorithm is not sha1, sha256, sha384 or sha512"
        case .duplicateAlgorithm(let algorithm, let text):
            "integrity '\(text)' holds two \(algorithm) digests; one integrity must name exactly one tarball"
        }
    }
}

func hexBytes(_ hex: String) -> [UInt8]? { Hex.decode(hex) }

extension Array where Element == UInt8 {
    /// Lower-case hex, as `shasum` and in-toto digests are written.
    public var hexString: String { Hex.encode(self) }
}
