public import FoundationEssentials
import DurableFile
import Integrity
import OpenSSLCrypto
import TUF

/// The newest TUF metadata this user's runs have trusted from one repository, kept outside the
/// cache in a folder only this user may write (``PrivateFolder``, beside the attestation cache's
/// key). The cache's metadata and kept roots are the client's rollback references, but a missing
/// file there only means "never seen" (found by review: whoever could write the cache deleted
/// them, and a repository that then hid newer roots, or served older metadata that had not yet
/// expired, was trusted again). A run that ends below these marks is refused.
public struct TUFHighWater: Sendable {
    /// The state folder (`$XDG_STATE_HOME/verify-install`).
    public let folder: URL
    /// The marks' file in `folder`, one per repository.
    public let fileName: String

    public init(folder: URL, fileName: String) {
        self.folder = folder
        self.fileName = fileName
    }

    /// The versions trusted at the end of a run, and which timestamp and snapshot keys they are
    /// under: new keys start their versions again (spec 5.3.11), a root never goes back.
    struct Marks: Codable, Equatable {
        var root: Int
        var timestamp: Int
        var snapshot: Int
        /// SHA-256 of the final root's timestamp and snapshot key material.
        var onlineKeys: String
    }

    static let maxBytes = 4096

    struct UnreadableMarks: Error, CustomStringConvertible {
        let description: String
    }

    /// The marks kept so far; nil before the first run that recorded any.
    func load() throws -> Marks? {
        let folder = try PrivateFolder(self.folder)
        guard let data = try folder.read(fileName, limit: Self.maxBytes) else { return nil }
        do { return try JSONDecoder().decode(Marks.self, from: data) } catch {
            throw UnreadableMarks(description: "\(self.folder.appendingPathComponent(fileName).path) holds no high-water marks verify-install wrote: \(error)")
        }
    }

    /// What `trusted` (a finished refresh) would record.
    static func marks(of trusted: TrustedMetadata) -> Marks? {
        guard let timestamp = trusted.timestamp, let snapshot = trusted.snapshot else { return nil }
        let keys = (trusted.root.keyMaterial(of: "timestamp") + ["--"] + trusted.root.keyMaterial(of: "snapshot")).joined(separator: "\n")
        return Marks(root: trusted.root.version, timestamp: timestamp.version, snapshot: snapshot.version,
                     onlineKeys: Digest.hash(.sha256, Array(keys.utf8)).hexString)
    }

    /// Why `now` lies below `kept`, or nil when it does not.
    static func rollback(from kept: Marks, to now: Marks) -> String? {
        if now.root < kept.root { return "root v\(now.root), where an earlier run trusted root v\(kept.root)" }
        guard now.onlineKeys == kept.onlineKeys else {
            // Keys rotate with a new root only: one root version naming two sets of keys is two roots.
            return now.root == kept.root ? "root v\(now.root) names other timestamp and snapshot keys than when an earlier run trusted it" : nil
        }
        if now.timestamp < kept.timestamp { return "timestamp v\(now.timestamp), where an earlier run trusted timestamp v\(kept.timestamp)" }
        if now.snapshot < kept.snapshot { return "snapshot v\(now.snapshot), where an earlier run trusted snapshot v\(kept.snapshot)" }
        return nil
    }

    /// Records `now` when it is newer than `kept`.
    func record(_ now: Marks, over kept: Marks?) throws {
        guard now != kept else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(now)
        try PrivateFolder(folder).replace(fileName, with: data)
    }
}
