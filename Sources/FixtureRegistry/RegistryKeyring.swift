import Crypto
import Foundation
import Synchronization

/// The registry's ECDSA P-256 signing keys, persisted in `<storage>/keys/registry-keys.json`
/// (generated on first open). The newest key signs; rotated keys keep their
/// public half, with an `expires` date, so versions they signed stay verifiable.
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

    private let file: URL
    private let keys: Mutex<[StoredKey]>
    private let clock: @Sendable () -> Date

    init(directory: URL, clock: @escaping @Sendable () -> Date) throws(RegistryError) {
        file = directory.appendingPathComponent("keys/registry-keys.json")
        self.clock = clock
        var stored: [StoredKey] = []
        if let data = try AtomicFile.read(file, limit: RegistryLimits.maxMetadataBodyBytes) {
            do { stored = try StorageJSON.decoder.decode([StoredKey].self, from: data) } catch {
                throw .storage(path: file.path, reason: "not a registry keyring: \(error)")
            }
        }
        keys = Mutex(stored)
        if stored.isEmpty { try add(expiring: nil) }
    }

    /// The key id of the key that signs now.
    public var currentKeyID: String { keys.withLock { $0.last?.keyid ?? "" } }

    /// Every key, oldest first, with its expiry.
    public var publicKeys: [PublicKey] {
        keys.withLock { keys in
            keys.compactMap { stored in
                guard let key = try? Self.privateKey(stored) else { return nil }
                return PublicKey(keyid: stored.keyid, spki: key.publicKey.derRepresentation.base64EncodedString(), expires: stored.expires)
            }
        }
    }

    /// Signs `message` with the current key: (keyid, base64 DER ECDSA-SHA256 signature).
    public func sign(_ message: Data) throws(RegistryError) -> (keyid: String, signature: String) {
        try keys.withLock { keys throws(RegistryError) in
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
        try add(expiring: expires ?? clock())
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
    private func add(expiring expires: Date?) throws(RegistryError) -> String {
        try keys.withLock { keys throws(RegistryError) -> String in
            var copy = keys
            if let expires, !copy.isEmpty { copy[copy.count - 1].expires = expires }
            let key = P256.Signing.PrivateKey()
            let keyid = Self.keyID(of: key.publicKey)
            copy.append(StoredKey(keyid: keyid, privateKey: key.rawRepresentation.base64EncodedString(), created: clock(), expires: nil))
            let data: Data
            do { data = try StorageJSON.encoder.encode(copy) } catch { throw .storage(path: file.path, reason: "cannot encode: \(error)") }
            try AtomicFile.write(data, to: file)
            keys = copy
            return keyid
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
