import Crypto
import Foundation
import SafeJSON
import TUF

/// A small signed TUF repository (Ed25519 keys, consistent snapshots) served by a `MemoryFetcher`.
struct TestRepository {
    var keys: [String: Curve25519.Signing.PrivateKey] = [:]
    var expires = "2030-01-01T00:00:00Z"
    let fetcher = MemoryFetcher()
    static let metadataURL = "https://repo.test/metadata/"

    init() {
        for role in ["root", "timestamp", "snapshot", "targets"] { keys[role] = Curve25519.Signing.PrivateKey() }
    }

    static func keyID(_ key: Curve25519.Signing.PrivateKey) -> String {
        TUFEncoding.hex(Array(SHA256.hash(data: key.publicKey.rawRepresentation)))
    }

    static func keyJSON(_ key: Curve25519.Signing.PrivateKey) -> JSONValue {
        ["keytype": "ed25519", "scheme": "ed25519",
         "keyval": ["public": .string(TUFEncoding.hex(Array(key.publicKey.rawRepresentation)))]]
    }

    /// Signs `signed` with `signers` over its canonical bytes.
    static func envelope(_ signed: JSONValue, signers: [Curve25519.Signing.PrivateKey]) throws -> Data {
        let canonical = try CanonicalJSON.encode(signed)
        let signatures: [JSONValue] = try signers.map { key in
            ["keyid": .string(keyID(key)), "sig": .string(TUFEncoding.hex(Array(try key.signature(for: canonical))))]
        }
        return try JSONValue.object(["signed": signed, "signatures": .array(signatures)]).serialized()
    }

    func header(_ type: String, _ version: Int, expires: String? = nil) -> [String: JSONValue] {
        ["_type": .string(type), "version": .number(Double(version)), "spec_version": "1.0.31",
         "expires": .string(expires ?? self.expires)]
    }

    func root(version: Int = 1) throws -> Data {
        var signed = header("root", version)
        signed["consistent_snapshot"] = true
        signed["keys"] = .object(Dictionary(uniqueKeysWithValues: keys.values.map { (Self.keyID($0), Self.keyJSON($0)) }))
        signed["roles"] = .object(keys.mapValues { ["keyids": [.string(Self.keyID($0))], "threshold": 1] })
        return try Self.envelope(.object(signed), signers: [keys["root"]!])
    }

    func timestamp(version: Int, snapshot: Int, expires: String? = nil) throws -> Data {
        var signed = header("timestamp", version, expires: expires)
        signed["meta"] = ["snapshot.json": ["version": .number(Double(snapshot))]]
        return try Self.envelope(.object(signed), signers: [keys["timestamp"]!])
    }

    func snapshot(version: Int, targets: Int, expires: String? = nil) throws -> Data {
        var signed = header("snapshot", version, expires: expires)
        signed["meta"] = ["targets.json": ["version": .number(Double(targets))]]
        return try Self.envelope(.object(signed), signers: [keys["snapshot"]!])
    }

    func targets(version: Int, files: [String: Data] = [:]) throws -> Data {
        for (path, data) in files {
            let digest = TUFEncoding.hex(Array(SHA256.hash(data: data)))
            let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
            fetcher.set("targets/" + path[..<slash] + digest + "." + path[slash...], data)
        }
        var signed = header("targets", version)
        signed["targets"] = .object(files.mapValues { data in
            ["length": .number(Double(data.count)),
             "hashes": ["sha256": .string(TUFEncoding.hex(Array(SHA256.hash(data: data))))]]
        })
        return try Self.envelope(.object(signed), signers: [keys["targets"]!])
    }

    /// Publishes one version of every top-level role (root v1 only under 1.root.json).
    func publish(timestamp t: Int, snapshot s: Int, targets g: Int, snapshotExpires: String? = nil,
                 files: [String: Data] = [:]) throws {
        fetcher.set("metadata/1.root.json", try root())
        fetcher.set("metadata/timestamp.json", try timestamp(version: t, snapshot: s))
        fetcher.set("metadata/\(s).snapshot.json", try snapshot(version: s, targets: g, expires: snapshotExpires))
        fetcher.set("metadata/\(g).targets.json", try targets(version: g, files: files))
    }

    func updater(_ directory: URL, now: Date = date("2026-06-01T00:00:00Z"), targets: URL? = nil) -> TUFUpdater {
        TUFUpdater(metadataDirectory: directory, metadataBaseURL: Self.metadataURL, targetDirectory: targets,
                   targetBaseURL: "https://repo.test/targets", fetcher: fetcher, referenceTime: now)
    }
}
