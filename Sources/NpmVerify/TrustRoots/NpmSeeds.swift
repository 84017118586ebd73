import Foundation
import SafeJSON

/// The TUF seeds file shipped inside npm's `@sigstore/tuf`:
/// `{"https://tuf-repo-cdn.sigstore.dev": {"root.json": b64, "targets": {"trusted_root.json": b64, ...}}}`.
public struct NpmSeeds: Sendable {
    /// The TUF mirror whose seeds npm embeds for the public-good instance.
    public static let publicGoodMirror = "https://tuf-repo-cdn.sigstore.dev"

    /// Decoded targets, keyed by TUF target name (e.g. `registry.npmjs.org%2Fkeys.json`).
    public let targets: [String: Data]

    /// Parses `seeds.json` and base64-decodes the public-good mirror's targets.
    public init(data: Data, mirror: String = NpmSeeds.publicGoodMirror) throws(TrustRootError) {
        let document: JSONValue
        do { document = try JSONValue.parse(data, maxDepth: 16) } catch {
            throw TrustRootError(.malformedSeeds, "seeds.json is not JSON: \(error)")
        }
        guard let entries = document[mirror]?["targets"]?.objectValue else {
            throw TrustRootError(.malformedSeeds, "expected seeds.json to hold \"\(mirror)\".targets, found keys \(document.objectValue.map { Array($0.keys).sorted() } ?? [])")
        }
        var targets: [String: Data] = [:]
        for (name, value) in entries {
            guard let text = value.stringValue, let bytes = Data(base64Encoded: text) else {
                throw TrustRootError(.malformedSeeds, "seeds.json target \(name) is not a base64 string")
            }
            targets[name] = bytes
        }
        self.targets = targets
    }
}
