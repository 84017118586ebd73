public import FoundationEssentials
import Integrity
public import RegistryClient
import OpenSSLCrypto

/// A content-addressed tarball cache (`<root>/content-v1/<algorithm>/<hex>`).
///
/// Entries are looked up by the integrity the registry or lockfile promises and are
/// re-hashed on every read: a corrupted or tampered entry is discarded, never trusted.
/// Below `root` nothing is followed: a symbolic link, FIFO, device or oversize file in
/// the cache is discarded unread.
public struct ContentCache: Sendable {
    public let root: URL
    /// Largest entry read (the largest tarball the registry client accepts).
    public let maxEntryBytes: Int
    /// `content-v1/<algorithm>` and `attestations-v1`, each opened (never through a link) on first use and kept open.
    let algorithmFolders = AlgorithmFolders()

    /// Marks the attestation responses kept here as this user's; nil keeps none.
    public let attestationKey: AttestationCacheKey?

    public init(root: URL, maxEntryBytes: Int = RegistryClient.maxTarballBytes, attestationKey: AttestationCacheKey? = nil) {
        self.root = root
        self.maxEntryBytes = maxEntryBytes
        self.attestationKey = attestationKey
    }

    /// The user's default: `$XDG_CACHE_HOME/verify-install` or `~/.cache/verify-install`, absolute
    /// paths only (``UserFolders``); throws when neither can be found.
    public static func defaultRoot(environment: [String: String]) throws(InstallError) -> URL {
        guard let folder = UserFolders.folder("XDG_CACHE_HOME", fallback: ".cache", environment: environment) else {
            throw InstallError(.usage, "no cache folder: XDG_CACHE_HOME and HOME are unset, empty or relative, and the account has no home folder; set HOME (or pass --cache DIR)")
        }
        return folder
    }

    func path(for hash: SubresourceIntegrity.Hash) -> URL {
        let (folders, file) = components(for: hash)
        return root.appendingPathComponent((folders + [file]).joined(separator: "/"))
    }

    private func components(for hash: SubresourceIntegrity.Hash) -> (folders: [String], file: String) {
        let hex = hash.digest.hexString
        return (["content-v1", hash.algorithm.rawValue, String(hex.prefix(2))], hex)
    }

    /// The open prefix folder of `folders` (`content-v1`, algorithm, prefix), created if asked.
    private func folder(_ folders: [String], create: Bool) -> CacheFolder? {
        guard let base = algorithmFolders.descriptor(root: root, folders.dropLast(), create: create) else { return nil }
        return CacheFolder(base: base, folders[folders.count - 1], create: create)
    }

    /// The cached bytes for `integrity`, copied into `staging` (a private file) and verified again
    /// as they are copied; nil when absent or no longer matching. Only the private copy is used
    /// afterwards, so a cache entry changed after the check cannot reach the unpacker. `discarded`
    /// says which entry was removed and why.
    func read(_ integrity: SubresourceIntegrity, subject: String, into staging: URL) -> (VerifiedBytes?, discarded: String?) {
        for hash in integrity.strongestHashes {
            let (folders, name) = components(for: hash)
            guard let folder = folder(folders, create: false) else { continue }
            defer { folder.close() }
            switch folder.copyRegularFile(name, limit: maxEntryBytes, to: staging) {
            case .absent:
                continue
            case .refused:
                folder.remove(name)
                return (nil, "\(path(for: hash).path) is not a regular file of at most \(maxEntryBytes) bytes (a link, FIFO, device, folder, or a file that changed while read)")
            case .found(let sha512):
                do {
                    return (try VerifiedBytes.verify(file: staging, against: integrity, sha512: sha512,
                                                     subject: subject, source: path(for: hash).path), nil)
                } catch {
                    folder.remove(name)
                    return (nil, "\(path(for: hash).path) no longer matches \(hash)")
                }
            }
        }
        return (nil, nil)
    }

    /// Stores verified bytes under their integrity, each entry whole the moment it appears (another
    /// run reading the same cache never sees it half-written). No fsync: every read re-hashes the
    /// entry, so a torn write after a crash only costs a later miss. An existing entry is kept.
    func write(_ verified: VerifiedBytes) {
        for hash in verified.integrity.strongestHashes {
            let (folders, name) = components(for: hash)
            guard let folder = folder(folders, create: true) else { continue }
            defer { folder.close() }
            folder.createFile(name, contents: verified.content)
        }
    }
}
