import FoundationEssentials
import OpenSSLCrypto
import SafeJSON

/// Version, and optional length and hashes, of a metadata file as listed in timestamp or snapshot.
public struct MetaFile: Sendable, Equatable {
    public let version: Int
    public let length: Int?
    public let hashes: [String: String]?

    init(_ fields: Fields) throws {
        version = try fields.int("version", min: 1)
        length = try fields.optionalInt("length")
        hashes = fields.has("hashes") ? try fields.hashes("hashes") : nil
    }

    /// Checks `data` against the listed length and hashes (those present).
    func verify(_ data: Data, role: String, rule: String) throws {
        try HashCheck.verify(data, length: length, hashes: hashes ?? [:], role: role, version: version, rule: rule)
    }
}

/// Length and hash checks for metadata and target files.
enum HashCheck {
    static let algorithms: [String: DigestAlgorithm] = ["sha256": .sha256, "sha384": .sha384, "sha512": .sha512]

    static func verify(_ data: Data, length: Int?, hashes: [String: String], role: String, version: Int?, rule: String) throws {
        if let length, data.count != length {
            throw TUFError(.lengthMismatch, role: role, version: version, rule: rule,
                           "expected \(length) bytes, got \(data.count)")
        }
        for (name, expected) in hashes.sorted(by: { $0.key < $1.key }) {
            guard let algorithm = algorithms[name] else {
                throw TUFError(.unsupportedHash, role: role, version: version, rule: rule,
                               "hash algorithm \"\(name)\" is not supported (sha256, sha384, sha512 are)")
            }
            let observed = TUFEncoding.hex(Digest.hash(algorithm, data))
            guard observed == expected else {
                throw TUFError(.hashMismatch, role: role, version: version, rule: rule,
                               "\(name) is \(observed), expected \(expected)")
            }
        }
    }
}
