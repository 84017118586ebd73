import Crypto
import Foundation
import SafeJSON

/// A self-made TUF repository written straight into an npm cache (`<cache>/_tuf/tuf-repo-cdn.sigstore.dev/`,
/// PROTOCOLS §8.8, §8.9): root, timestamp, snapshot and targets signed with one fresh ed25519 key,
/// `consistent_snapshot` false, and `trusted_root.json` as the only target. With it npm's
/// `initTUF` needs just two requests (the next root, then `timestamp.json`), which
/// ``TimestampProxy`` answers; everything else comes from the cache.
struct NpmTUFCache {
    /// The signed `timestamp.json` bytes, also what the proxy serves.
    let timestamp: Data

    /// Writes the repository into `npmCache` with `trustedRoot` as the `trusted_root.json` target.
    init(npmCache: URL, trustedRoot: Data, now: Date = Date()) throws {
        let folder = npmCache.appendingPathComponent("_tuf/tuf-repo-cdn.sigstore.dev")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("targets"), withIntermediateDirectories: true)
        let key = Curve25519.Signing.PrivateKey()
        let publicHex = Self.hex(key.publicKey.rawRepresentation)
        let keyJSON: JSONValue = ["keytype": "ed25519", "scheme": "ed25519", "keyval": ["public": .string(publicHex)]]
        let keyid = Self.hex(SHA256.hash(data: Data(Self.canonical(keyJSON).utf8)))
        let expires = Self.tufDate(now.addingTimeInterval(365 * 24 * 3600))
        let role: JSONValue = ["keyids": [.string(keyid)], "threshold": 1]

        func signed(_ body: [String: JSONValue]) throws -> Data {
            var fields = body
            fields["spec_version"] = "1.0.0"
            fields["version"] = 1
            fields["expires"] = .string(expires)
            let payload = JSONValue.object(fields)
            let signature = try key.signature(for: Data(Self.canonical(payload).utf8))
            let document: JSONValue = ["signed": payload, "signatures": [["keyid": .string(keyid), "sig": .string(Self.hex(signature))]]]
            return Data(Self.canonical(document).utf8)
        }

        let root = try signed(["_type": "root", "consistent_snapshot": false, "keys": .object([keyid: keyJSON]),
                               "roles": ["root": role, "timestamp": role, "snapshot": role, "targets": role]])
        let targets = try signed(["_type": "targets", "targets": .object(["trusted_root.json": Self.fileMeta(trustedRoot)])])
        let snapshot = try signed(["_type": "snapshot", "meta": .object(["targets.json": Self.fileMeta(targets, version: 1)])])
        timestamp = try signed(["_type": "timestamp", "meta": .object(["snapshot.json": ["version": 1]])])
        for (name, data) in [("root.json", root), ("targets.json", targets), ("snapshot.json", snapshot), ("timestamp.json", timestamp)] {
            try data.write(to: folder.appendingPathComponent(name))
        }
        try trustedRoot.write(to: folder.appendingPathComponent("targets/trusted_root.json"))
    }

    static func fileMeta(_ data: Data, version: Int? = nil) -> JSONValue {
        var meta: [String: JSONValue] = ["length": .number(Double(data.count)),
                                         "hashes": ["sha256": .string(hex(SHA256.hash(data: data)))]]
        if let version { meta["version"] = .number(Double(version)) }
        return .object(meta)
    }

    /// securesystemslib canonical JSON: sorted keys, no whitespace, only `"` and `\` escaped, integers.
    static func canonical(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return String(Int64(n))
        case .string(let s): return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        case .array(let items): return "[" + items.map(canonical).joined(separator: ",") + "]"
        case .object(let object):
            return "{" + object.keys.sorted().map { canonical(.string($0)) + ":" + canonical(object[$0]!) }.joined(separator: ",") + "}"
        }
    }

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func tufDate(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
