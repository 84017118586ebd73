public import Crypto
public import Foundation

/// The repository's **test-only** registry signing key, `Registry/keys/test-registry-key.pem`
/// (see the README beside it). Its private half is public: it proves nothing outside the
/// fixture world.
///
/// It is used only when asked for: `fixture-registry serve --test-key`, or an in-process
/// registry opened with `RegistryStorage(directory:signingKey:)` (recorded flows that need a
/// stable key id), and only when the storage has no keyring yet. Without it every new
/// storage generates its own key.
public enum TestRegistryKey {
    /// The key's file name in the keys folder (`FixturePaths.testRegistryKey` is the whole path).
    public static let fileName = "test-registry-key.pem"

    /// Loads the PEM (PKCS#8 or SEC1) P-256 private key from `url`.
    public static func load(from url: URL) throws(RegistryError) -> P256.Signing.PrivateKey {
        guard let data = try AtomicFile.read(url, limit: 64 * 1024), let pem = String(data: data, encoding: .utf8) else {
            throw .storage(path: url.path, reason: "the test-only registry key is missing")
        }
        do {
            return try P256.Signing.PrivateKey(pemRepresentation: pem)
        } catch {
            throw .storage(path: url.path, reason: "not a PEM P-256 private key: \(error)")
        }
    }

    /// The npm key id of the test key (`SHA256:…`).
    public static func keyID(from url: URL) throws(RegistryError) -> String {
        RegistryKeyring.keyID(of: try load(from: url).publicKey)
    }
}
