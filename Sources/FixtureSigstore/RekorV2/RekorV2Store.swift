import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The v2 log's folder: `ed25519-signing-key` (base64 raw key, mode 0600) and `entries.b64l`, one
/// base64 entry body per line, written and fsynced before the entry is acknowledged (a torn last
/// line was never acknowledged and is cut off on reload).
struct RekorV2Store: Sendable {
    let directory: URL
    var keyURL: URL { directory.appendingPathComponent("ed25519-signing-key") }
    var entriesURL: URL { directory.appendingPathComponent("entries.b64l") }

    init(directory: URL) throws(RekorError) {
        self.directory = directory
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw RekorError(.storage, "cannot create the v2 log folder \(directory.path): \(error.localizedDescription)")
        }
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
        try RekorStore.durableWrite(Array((RekorEncoding.base64(key.rawRepresentation) + "\n").utf8), to: keyURL, append: false, mode: 0o600)
        return key
    }

    /// Every complete entry body in order.
    func loadBodies() throws(RekorError) -> [[UInt8]] {
        guard let data = try? Data(contentsOf: entriesURL) else { return [] }
        var bytes = [UInt8](data)
        let complete = (bytes.lastIndex(of: 0x0A).map { $0 + 1 }) ?? 0
        if complete != bytes.count {
            guard truncate(entriesURL.path, off_t(complete)) == 0 else {
                throw RekorError(.storage, "cannot cut the torn last line of \(entriesURL.path): \(String(cString: strerror(errno)))")
            }
            bytes.removeSubrange(complete...)
        }
        var bodies: [[UInt8]] = []
        for (number, line) in bytes.split(separator: 0x0A).enumerated() {
            guard let body = RekorEncoding.unbase64(String(decoding: line, as: UTF8.self)) else {
                throw RekorError(.storage, "\(entriesURL.path) line \(number + 1): expected a base64 entry body")
            }
            bodies.append(body)
        }
        return bodies
    }

    func append(_ body: [UInt8]) throws(RekorError) {
        try RekorStore.durableWrite(Array((RekorEncoding.base64(body) + "\n").utf8), to: entriesURL, append: true, mode: 0o644)
    }
}
