import Crypto
public import Foundation
import SafeJSON

/// A complete, signed, minimal TUF repository for the mirror npm uses
/// (`https://tuf-repo-cdn.sigstore.dev`), shaped as PROTOCOLS §8.3a/§8.8 describe:
/// every document version `version`, root `consistent_snapshot: false`, so the mirror
/// serves plain `/timestamp.json`, `/snapshot.json`, `/targets.json` and `/targets/<name>`.
///
/// The root written into npm's cache is the trust anchor: tuf-js needs no chain to the
/// real Sigstore root, only a self-signed, unexpired root.
public struct TUFRepository: Sendable {
    /// The mirror host npm's @sigstore/tuf is hard-wired to.
    public static let mirrorHost = "tuf-repo-cdn.sigstore.dev"
    public static let specVersion = "1.0.31"

    /// Bytes served and cached for each top-level role (pretty JSON envelopes).
    public let root: Data
    public let timestamp: Data
    public let snapshot: Data
    public let targets: Data
    /// Target name (e.g. `trusted_root.json`, `127.0.0.1:4873/keys.json`) → bytes.
    public let targetFiles: [String: Data]
    /// The version of every document (the root's version is what tuf-js probes `+1` of).
    public let version: Int
    /// Expiry of every document, as written (`YYYY-MM-DDTHH:MM:SSZ`).
    public let expires: String

    /// Builds and signs the four documents.
    /// - Parameters:
    ///   - targetFiles: target name → exact bytes to serve; lengths and SHA-256 hashes are taken over these bytes.
    ///   - keys: the role keys.
    ///   - now: the fixture clock's current time; documents expire `validity` later.
    ///   - validity: lifetime of every document (default one year, as npm's test mock).
    ///   - version: version of every document (default 1).
    public init(targetFiles: [String: Data], keys: TUFRoleKeys, now: Date,
                validity: TimeInterval = 365 * 86_400, version: Int = 1) throws {
        guard version >= 1 else { throw TUFError.badMetadata("expected a version ≥ 1, found \(version)") }
        guard validity > 0 else { throw TUFError.badMetadata("expected a positive validity, found \(validity) s") }
        let expires = Self.tufTimestamp(now.addingTimeInterval(validity))

        func common(_ type: String) -> [String: JSONValue] {
            ["_type": .string(type), "spec_version": .string(Self.specVersion),
             "version": .number(Double(version)), "expires": .string(expires)]
        }
        func meta(_ bytes: Data) -> JSONValue {
            ["version": .number(Double(version)), "length": .number(Double(bytes.count)),
             "hashes": ["sha256": .string(SHA256.hash(data: bytes).tufHex)]]
        }

        var rootSigned = common("root")
        var keyMap: [String: JSONValue] = [:]
        var roles: [String: JSONValue] = [:]
        for role in TUFRoleKeys.roleNames {
            let key = keys.key(for: role)!
            keyMap[key.keyID] = key.publicKeyJSON
            roles[role] = ["keyids": [.string(key.keyID)], "threshold": 1]
        }
        rootSigned["keys"] = .object(keyMap)
        rootSigned["roles"] = .object(roles)
        rootSigned["consistent_snapshot"] = false
        let root = try Self.envelope(.object(rootSigned), signedBy: keys.root)

        var targetsSigned = common("targets")
        targetsSigned["targets"] = .object(targetFiles.mapValues { bytes -> JSONValue in
            ["length": .number(Double(bytes.count)), "hashes": ["sha256": .string(SHA256.hash(data: bytes).tufHex)]]
        })
        let targets = try Self.envelope(.object(targetsSigned), signedBy: keys.targets)

        var snapshotSigned = common("snapshot")
        snapshotSigned["meta"] = ["targets.json": meta(targets)]
        let snapshot = try Self.envelope(.object(snapshotSigned), signedBy: keys.snapshot)

        var timestampSigned = common("timestamp")
        timestampSigned["meta"] = ["snapshot.json": meta(snapshot)]
        let timestamp = try Self.envelope(.object(timestampSigned), signedBy: keys.timestamp)

        (self.root, self.timestamp, self.snapshot, self.targets) = (root, timestamp, snapshot, targets)
        (self.targetFiles, self.version, self.expires) = (targetFiles, version, expires)
    }

    /// `{"signed": …, "signatures": [{keyid, sig}]}` over the canonical form of `signed`, served pretty-printed.
    static func envelope(_ signed: JSONValue, signedBy key: TUFSigningKey) throws -> Data {
        let canonical = try TUFCanonicalJSON.encode(signed)
        let sig = try key.signatureHex(over: canonical)
        let document: JSONValue = ["signed": signed, "signatures": [["keyid": .string(key.keyID), "sig": .string(sig)]]]
        return try document.serialized(pretty: true)
    }

    /// TUF's `expires` form; fractional seconds dropped.
    static func tufTimestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    // MARK: - Serving

    /// URL path → bytes the mirror serves. `/<version+1>.root.json` is deliberately absent
    /// (tuf-js must get a 404 there to stop its root-rotation probe).
    public var servedFiles: [String: Data] {
        var files: [String: Data] = [
            "/root.json": root, "/\(version).root.json": root,
            "/timestamp.json": timestamp, "/snapshot.json": snapshot, "/targets.json": targets,
        ]
        for (name, bytes) in targetFiles { files["/targets/\(name)"] = bytes }
        return files
    }

    // MARK: - npm cache

    /// `<npm cache>/_tuf/tuf-repo-cdn.sigstore.dev`, where @sigstore/tuf keeps this mirror's state (§8.4).
    public static func npmTUFDirectory(cache: URL) -> URL {
        cache.appendingPathComponent("_tuf").appendingPathComponent(encodeURIComponent(mirrorHost))
    }

    /// Writes the root into npm's cache (replacing npm's expired bundled seed, which @sigstore/tuf
    /// writes only when `root.json` is missing). With `includeMetadata` also the timestamp, snapshot
    /// and targets; with `includeTargets` also `targets/<encodeURIComponent(name)>` (§8.8, §8.9).
    ///
    /// Whatever this mirror's folder held before is removed first: tuf-js keeps a cached snapshot or
    /// target whose version equals the new one, so an earlier repository's files (same version 1,
    /// another trusted root) would otherwise survive a refresh.
    public func seedNpmCache(at cache: URL, includeMetadata: Bool = false, includeTargets: Bool = false) throws {
        let directory = Self.npmTUFDirectory(cache: cache)
        if FileManager.default.fileExists(atPath: directory.path) {
            do { try FileManager.default.removeItem(at: directory) } catch {
                throw TUFError.io(path: directory.path, reason: "could not clear npm's earlier TUF state: \(error)")
            }
        }
        var files: [(String, Data)] = [("root.json", root)]
        if includeMetadata {
            files += [("timestamp.json", timestamp), ("snapshot.json", snapshot), ("targets.json", targets)]
        }
        if includeTargets {
            files += targetFiles.map { ("targets/" + Self.encodeURIComponent($0.key), $0.value) }
        }
        for (relative, bytes) in files {
            let file = directory.appendingPathComponent(relative)
            do {
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try bytes.write(to: file, options: .atomic)
            } catch {
                throw TUFError.io(path: file.path, reason: "could not seed npm's TUF cache: \(error)")
            }
        }
    }

    /// JavaScript's `encodeURIComponent`: everything but `A–Z a–z 0–9 - _ . ! ~ * ' ( )` percent-encoded.
    public static func encodeURIComponent(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case _ where "-_.!~*'()".utf8.contains(byte):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}
