public import Crypto
public import Foundation
import Synchronization


/// The registry's ECDSA P-256 signing keys, persisted in `<storage>/keys/registry-keys.json`
/// (generated on first open, or seeded with a given key such as ``TestRegistryKey``). The
/// newest key signs; rotated keys keep their public half, with an `expires` date, so
/// versions they signed stay verifiable.
///
/// A running registry picks up a rotation made by another process (`fixture-registry
/// rotate-key` on the same folder) without a restart: before signing or listing keys it
/// compares the file's identity (inode, size, modification time) with what it loaded and
/// reloads when the file was replaced.
///
/// **Test-only keys**: the private keys sit in the storage folder in clear.
public final class RegistryKeyring: Sendable {
    /// One key as stored.
    struct StoredKey: Codable, Sendable {
        var keyid: String
        /// Raw P-256 private scalar, base64.
        var privateKey: String
        var created: Date
        var expires: Date?
    }

    /// A public key as `GET /-/npm/v1/keys` lists it.
    public struct PublicKey: Sendable, Equatable {
        public let keyid: String
        /// Base64 DER SubjectPublicKeyInfo.
        public let spki: String
        public let expires: Date?
    }

    /// The keys as loaded, and the identity of the file they came from.
    private struct Loaded {
        var keys: [StoredKey]
        var stamp: FileStamp?
    }

    private let file: URL
    private let state: Mutex<Loaded>
    private let clock: @Sendable () -> Date

    /// - Parameter initialKey: the first key of a new keyring (default: a freshly generated one).
    init(directory: URL, clock: @escaping @Sendable () -> Date,
         initialKey: P256.Signing.PrivateKey? = nil) throws(RegistryError) {
        file = directory.appendingPathComponent("keys/registry-keys.json")
        self.clock = clock
        let stamp = FileStamp(file)
        let stored = try Self.load(file) ?? []
        state = Mutex(Loaded(keys: stored, stamp: stamp))
        if stored.isEmpty { try add(expiring: nil, key: initialKey ?? P256.Signing.PrivateKey()) }
    }

    /// The key id of the key that signs now.
    public var currentKeyID: String { withKeys { $0.last?.keyid ?? "" } }

    /// Every key, oldest first, with its expiry.
    public var publicKeys: [PublicKey] {
        withKeys { keys in
            keys.compactMap { stored in
                guard let key = try? Self.privateKey(stored) else { return nil }
                return PublicKey(keyid: stored.keyid, spki: key.publicKey.derRepresentation.base64EncodedString(), expires: stored.expires)
            }
        }
    }

    /// Signs `message` with the current key: (keyid, base64 DER ECDSA-SHA256 signature).
    public func sign(_ message: Data) throws(RegistryError) -> (keyid: String, signature: String) {
        try withKeys { keys throws(RegistryError) in
            guard let current = keys.last else { throw .storage(path: file.path, reason: "the keyring is empty") }
            let key = try Self.privateKey(current)
            do {
                return (current.keyid, try key.signature(for: message).derRepresentation.base64EncodedString())
            } catch {
                throw .storage(path: file.path, reason: "cannot sign: \(error)")
            }
        }
    }

    /// Expires the current key at `expires` (default: now) and makes a new one current; returns its key id.
    @discardableResult
    public func rotate(expiring expires: Date? = nil) throws(RegistryError) -> String {
        try add(expiring: expires ?? clock(), key: P256.Signing.PrivateKey())
    }

    // MARK: - Key ids

    /// npm's key id: `SHA256:` + unpadded base64 of SHA-256 over the OpenSSH wire
    /// encoding of the key (`ecdsa-sha2-nistp256`, `nistp256`, the 65-byte point).
    public static func keyID(of publicKey: P256.Signing.PublicKey) -> String {
        var wire = Data()
        for field in [Data("ecdsa-sha2-nistp256".utf8), Data("nistp256".utf8), publicKey.x963Representation] {
            withUnsafeBytes(of: UInt32(field.count).bigEndian) { wire.append(contentsOf: $0) }
            wire.append(field)
        }
        let base64 = Data(SHA256.hash(data: wire)).base64EncodedString()
        return "SHA256:" + base64.replacingOccurrences(of: "=", with: "")
    }

    // MARK: - Helpers

    @discardableResult
    private func add(expiring expires: Date?, key: P256.Signing.PrivateKey) throws(RegistryError) -> String {
        try state.withLock { state throws(RegistryError) -> String in
            try refresh(&state)
            var copy = state.keys
            if let expires, !copy.isEmpty { copy[copy.count - 1].expires = expires }
            let keyid = Self.keyID(of: key.publicKey)
            copy.append(StoredKey(keyid: keyid, privateKey: key.rawRepresentation.base64EncodedString(), created: clock(), expires: nil))
            let data: Data
            do { data = try StorageJSON.encoder.encode(copy) } catch { throw .storage(path: file.path, reason: "cannot encode: \(error)") }
            try AtomicFile.write(data, to: file)
            state = Loaded(keys: copy, stamp: FileStamp(file))
            return keyid
        }
    }

    /// Runs `body` on the current keys, reloading them first if another process replaced the file.
    private func withKeys<T, E: Error>(_ body: ([StoredKey]) throws(E) -> T) throws(E) -> T {
        let keys = state.withLock { state in
            try? refresh(&state)
            return state.keys
        }
        return try body(keys)
    }

    /// Reloads the keys when the file's identity changed since they were loaded (a rotation by another process).
    private func refresh(_ state: inout Loaded) throws(RegistryError) {
        let stamp = FileStamp(file)
        guard stamp != state.stamp, stamp != nil else { return }
        if let reloaded = try Self.load(file), !reloaded.isEmpty { state = Loaded(keys: reloaded, stamp: stamp) }
    }

    private static func load(_ file: URL) throws(RegistryError) -> [StoredKey]? {
        guard let data = try AtomicFile.read(file, limit: RegistryLimits.maxMetadataBodyBytes) else { return nil }
        do { return try StorageJSON.decoder.decode([StoredKey].self, from: data) } catch {
            throw .storage(path: file.path, reason: "not a registry keyring: \(error)")
        }
    }

    private static func privateKey(_ stored: StoredKey) throws(RegistryError) -> P256.Signing.PrivateKey {
        guard let raw = Data(base64Encoded: stored.privateKey),
              let key = try? P256.Signing.PrivateKey(rawRepresentation: raw) else {
            throw .storage(path: "keys/registry-keys.json", reason: "key \(stored.keyid) is not a P-256 private key")
        }
        return key
    }
}

/// A file's identity as `stat` reports it (through FileManager); an atomic replacement (rename)
/// changes the inode.
struct FileStamp: Equatable, Sendable {
    let inode: UInt64
    let size: UInt64
    let modified: Date

    /// The stamp of the file at `url`, or nil when it does not exist.
    init?(_ url: URL) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
              let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value,
              let size = (attributes[.size] as? NSNumber)?.uint64Value,
              let modified = attributes[.modificationDate] as? Date else { return nil }
        self.inode = inode
        self.size = size
        self.modified = modified
    }
}
