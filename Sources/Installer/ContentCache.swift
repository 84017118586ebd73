import Foundation
import Integrity

/// A content-addressed tarball cache (`<root>/content-v1/<algorithm>/<hex>`).
///
/// Entries are looked up by the integrity the registry or lockfile promises and are
/// re-hashed on every read: a corrupted or tampered entry is discarded, never trusted.
public struct ContentCache: Sendable {
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    /// The user's default: `$XDG_CACHE_HOME/verify-install` or `~/.cache/verify-install`.
    public static func defaultRoot(environment: [String: String]) -> URL {
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("verify-install")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".cache/verify-install")
    }

    func path(for hash: SubresourceIntegrity.Hash) -> URL {
        let hex = hash.digest.hexString
        return root.appendingPathComponent("content-v1/\(hash.algorithm.rawValue)/\(hex.prefix(2))/\(hex)")
    }

    /// The cached bytes for `integrity`, verified again; nil when absent or no longer matching.
    func read(_ integrity: SubresourceIntegrity, subject: String) -> (VerifiedBytes?, discarded: Bool) {
        for hash in integrity.strongestHashes {
            let file = path(for: hash)
            guard let data = FileManager.default.contents(atPath: file.path) else { continue }
            if let verified = try? VerifiedBytes.verify(data, against: integrity, subject: subject, source: file.path) {
                return (verified, false)
            }
            try? FileManager.default.removeItem(at: file)
            return (nil, true)
        }
        return (nil, false)
    }

    /// Stores verified bytes under their integrity. No temporary file and no fsync: every read
    /// re-hashes the entry, so a torn write only costs a later miss. An existing entry is kept.
    func write(_ verified: VerifiedBytes) {
        for hash in verified.integrity.strongestHashes {
            let file = path(for: hash)
            var descriptor = open(file.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if descriptor < 0, errno == ENOENT {
                try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                descriptor = open(file.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            }
            guard descriptor >= 0 else { continue }
            let complete = verified.bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 { if errno == EINTR { continue } else { return false } }
                    offset += written
                }
                return true
            }
            close(descriptor)
            if !complete { unlink(file.path) }
        }
    }
}
