import FoundationEssentials
import Integrity
import OpenSSLCrypto
import RegistryClient

/// Attestation responses kept beside the tarballs (`<root>/attestations-v1/<xx>/<sha256>`), so a
/// warm install does not fetch again what it verified before. The key binds the exact request URL
/// and the package's `dist.integrity`. A cached response is trusted no more than a downloaded one:
/// every bundle in it is verified again on every run against the trusted root, the registry keys
/// and that integrity, and an entry that fails is discarded and fetched again from the registry.
extension ContentCache {
    private static let attestationsFolder = "attestations-v1"

    private static func attestationsEntry(url: String, integrity: String) -> (prefix: String, name: String) {
        let key = Digest(.sha256)
        key.update(Array((url + "\n" + integrity).utf8))
        let hex = key.finalize().hexString
        return (String(hex.prefix(2)), hex)
    }

    private func attestationsFolder(_ prefix: String, create: Bool) -> CacheFolder? {
        guard let base = algorithmFolders.descriptor(root: root, [Self.attestationsFolder], create: create) else { return nil }
        return CacheFolder(base: base, prefix, create: create)
    }

    /// The cached response for `url` and `integrity`; nil when absent, or when the entry is not a
    /// regular file within the response size limit (it is then removed).
    func attestations(url: String, integrity: String) -> Data? {
        let (prefix, name) = Self.attestationsEntry(url: url, integrity: integrity)
        guard let folder = attestationsFolder(prefix, create: false) else { return nil }
        defer { folder.close() }
        switch folder.readRegularFile(name, limit: RegistryClient.maxAttestationsBytes) {
        case .absent: return nil
        case .refused: folder.remove(name); return nil
        case .found(let body): return body
        }
    }

    /// Keeps a response whose every bundle just verified. No fsync: a torn entry fails to verify
    /// on a later run and is then fetched again.
    func storeAttestations(_ body: Data, url: String, integrity: String) {
        let (prefix, name) = Self.attestationsEntry(url: url, integrity: integrity)
        guard let folder = attestationsFolder(prefix, create: true) else { return }
        defer { folder.close() }
        folder.createFile(name, contents: .memory(body))
    }

    /// Removes the entry for `url` and `integrity` (it no longer verifies).
    func discardAttestations(url: String, integrity: String) {
        let (prefix, name) = Self.attestationsEntry(url: url, integrity: integrity)
        guard let folder = attestationsFolder(prefix, create: false) else { return }
        defer { folder.close() }
        folder.remove(name)
    }
}
