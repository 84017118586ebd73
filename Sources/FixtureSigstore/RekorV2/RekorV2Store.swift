import Crypto
import Foundation

/// The v2 log's ``LogFolder``: `ed25519-signing-key` (base64 raw key, mode 0600) and `entries.b64l`, one
/// base64 entry body per line, written and fsynced before the entry is acknowledged (a torn last
/// line was never acknowledged and is cut off on reload).
struct RekorV2Store: Sendable {
    let folder: LogFolder
    var keyURL: URL { folder.keyURL }

    init(directory: URL) throws(RekorError) {
        folder = try LogFolder(directory, name: "v2 log", keyFile: "ed25519-signing-key", entriesFile: "entries.b64l")
    }

    /// The stored key, else `given` (or a new one), stored.
    func signingKey(given: Curve25519.Signing.PrivateKey?) throws(RekorError) -> Curve25519.Signing.PrivateKey {
        if let text = try? String(contentsOf: keyURL, encoding: .utf8) {
            guard let raw = RekorEncoding.unbase64(text.trimmingCharacters(in: .whitespacesAndNewlines)),
                  let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
                throw RekorError(.storage, "\(keyURL.path): expected a base64 raw Ed25519 private key")
            }
            return key
        }
        let key = given ?? Curve25519.Signing.PrivateKey()
        try folder.storeKey(Array((RekorEncoding.base64(key.rawRepresentation) + "\n").utf8))
        return key
    }

    /// Every complete entry body in order (blank lines skipped).
    func loadBodies() throws(RekorError) -> [[UInt8]] {
        var bodies: [[UInt8]] = []
        for (number, line) in try folder.completeLines().filter({ !$0.isEmpty }).enumerated() {
            guard let body = RekorEncoding.unbase64(String(decoding: line, as: UTF8.self)) else {
                throw RekorError(.storage, "\(folder.entriesURL.path) line \(number + 1): expected a base64 entry body")
            }
            bodies.append(body)
        }
        return bodies
    }

    func append(_ body: [UInt8]) throws(RekorError) {
        try folder.appendLine(Array(RekorEncoding.base64(body).utf8))
    }
}
