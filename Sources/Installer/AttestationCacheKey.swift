public import FoundationEssentials
import DurableFile
import Glibc
import OpenSSLCrypto

/// The secret that marks the attestation responses verify-install keeps in its cache as its own.
/// A cached response says which attestations a version has, which only the registry may say (found
/// by review: a response written into a shared cache, with a genuine Sigstore bundle from another
/// repository, passed the source-repository-change refusal). The key lives outside the cache, in
/// the user's state folder, readable by its owner only: whoever can write the cache but not read
/// the key cannot make an entry this run accepts, and cannot test guesses at a registry password
/// against entry names either.
public struct AttestationCacheKey: Sendable {
    let bytes: [UInt8]
    static let byteCount = 32
    static let fileName = "cache.key"

    /// `$XDG_STATE_HOME/verify-install`, else `~/.local/state/verify-install`, absolute paths only
    /// (``UserFolders``); nil when neither can be found.
    public static func defaultFolder(environment: [String: String]) -> URL? {
        UserFolders.folder("XDG_STATE_HOME", fallback: ".local/state", environment: environment)
    }

    /// ``defaultFolder(environment:)``, unless it lies inside or around one of `apart`: state kept
    /// with what it protects proves nothing (the TUF high-water marks beside the cache).
    public static func defaultFolder(environment: [String: String], apart: [URL]) -> URL? {
        defaultFolder(environment: environment).flatMap { folder in apart.contains { UserFolders.overlap(folder, $0) } ? nil : folder }
    }

    /// A key of the given bytes (tests).
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// The key in `folder`, created there on first use. Throws why it is unusable (the attestation
    /// cache is then off for the run): the folder lies inside or around one of `apart` (the cache,
    /// the project: found by review, a key restored with the cache it tags vouched for planted
    /// entries), is a link, is not this user's or others may write it; the key is not a regular
    /// file of 32 bytes with one link, that only this user can read.
    public static func load(folder: URL, apart: [URL]) throws -> AttestationCacheKey {
        // A path that leaves `..` to the kernel is refused before anything is created there.
        if let shared = apart.first(where: { UserFolders.overlap(folder, $0) }) {
            throw KeyError("its folder \(folder.path) and \(shared.path) lie one inside the other: a key kept or restored with what it protects proves nothing")
        }
        let opened: PrivateFolder
        do { opened = try PrivateFolder(folder) } catch { throw KeyError("\(error)") }
        // Again now that it exists: a bind mount shows only in the folders' identities (found by review).
        if let shared = apart.first(where: { UserFolders.overlap(folder, $0) }) {
            throw KeyError("its folder \(folder.path) and \(shared.path) are one inside the other (one is mounted at the other): a key kept or restored with what it protects proves nothing")
        }
        // `opened.descriptor` at every use: the folder stays open until the last one.
        if let key = try read(in: opened.descriptor, folder: folder) { return key }
        try create(in: opened.descriptor, folder: folder)
        guard let key = try read(in: opened.descriptor, folder: folder) else { throw KeyError("\(folder.path)/\(fileName) vanished as it was created") }
        return key
    }

    /// The key file's bytes; nil when there is none.
    private static func read(in directory: Int32, folder: URL) throws -> AttestationCacheKey? {
        let path = "\(folder.path)/\(fileName)"
        let file = openat(directory, fileName, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard file >= 0 else {
            if errno == ENOENT { return nil }
            throw KeyError("\(path) cannot be opened: \(String(cString: strerror(errno)))")
        }
        defer { close(file) }
        var info = stat()
        guard fstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid(), info.st_mode & 0o077 == 0,
              info.st_size == byteCount, info.st_nlink == 1 else {
            throw KeyError("\(path) is not a regular file of \(byteCount) bytes with one link that only its owner (this user) can read")
        }
        var bytes = [UInt8](repeating: 0, count: byteCount)
        let count = bytes.withUnsafeMutableBytes { Glibc.read(file, $0.baseAddress!, byteCount) }
        guard count == byteCount else { throw KeyError("\(path) could not be read whole") }
        return AttestationCacheKey(bytes: bytes)
    }

    /// Writes fresh random bytes under a private name, then links them into place, which fails
    /// rather than replaces when another run created the key first.
    private static func create(in directory: Int32, folder: URL) throws {
        guard let bytes = MessageAuthentication.randomBytes(byteCount) else { throw KeyError("OpenSSL gave no random bytes for \(folder.path)/\(fileName)") }
        let temporary = ".\(fileName).\(getpid()).\(UInt64.random(in: 0...UInt64.max))"
        let file = openat(directory, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard file >= 0 else { throw KeyError("\(folder.path) is not writable: \(String(cString: strerror(errno)))") }
        defer { unlinkat(directory, temporary, 0) }
        let written = bytes.withUnsafeBytes { Glibc.write(file, $0.baseAddress!, byteCount) }
        let synced = fsync(file) == 0
        close(file)
        guard written == byteCount, synced else { throw KeyError("\(folder.path)/\(fileName) could not be written") }
        guard linkat(directory, temporary, directory, fileName, 0) == 0 || errno == EEXIST else {
            throw KeyError("\(folder.path)/\(fileName) could not be created: \(String(cString: strerror(errno)))")
        }
    }

    /// HMAC-SHA256 of `parts`, each length-prefixed so no two lists of parts give one message.
    func tag(_ parts: [[UInt8]]) -> [UInt8] {
        var message: [UInt8] = []
        message.reserveCapacity(parts.reduce(0) { $0 + $1.count + 8 })
        for part in parts {
            withUnsafeBytes(of: UInt64(part.count).bigEndian) { message.append(contentsOf: $0) }
            message.append(contentsOf: part)
        }
        return MessageAuthentication.hmacSHA256(message, key: bytes)
    }

    struct KeyError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
