import FoundationEssentials
import Integrity
import OpenSSLCrypto
import RegistryClient

/// Attestation responses kept beside the tarballs (`<root>/attestations-v1/<xx>/<name>`), so a
/// warm install does not fetch again what it verified before. Each entry is marked with the
/// ``AttestationCacheKey``: its name is a keyed hash of the exact request URL and the package's
/// `dist.integrity`, and its content is the response after a keyed tag over URL, integrity and
/// response. Without the key there is no attestation cache. An entry whose tag is not this
/// key's was not written by verify-install for this request (another user, a restored CI cache,
/// an attacker) and is discarded, so a response only the registry may give is never taken from
/// the cache on anyone else's word. Every bundle in an accepted entry is still verified again on
/// every run against the trusted root, the registry keys and that integrity.
extension ContentCache {
    private static let attestationsFolder = "attestations-v1"
    private static let tagSize = 32

    private static func attestationsEntry(_ key: AttestationCacheKey, url: String, integrity: String) -> (prefix: String, name: String) {
        let hex = key.tag([Array("attestations-v1 name".utf8), Array(url.utf8), Array(integrity.utf8)]).hexString
        return (String(hex.prefix(2)), hex)
    }

    private static func bodyTag(_ key: AttestationCacheKey, url: String, integrity: String, body: Data) -> [UInt8] {
        key.tag([Array("attestations-v1 body".utf8), Array(url.utf8), Array(integrity.utf8), Array(body)])
    }

    private func attestationsFolder(_ prefix: String, create: Bool) -> CacheFolder? {
        guard let base = algorithmFolders.descriptor(root: root, [Self.attestationsFolder], create: create) else { return nil }
        return CacheFolder(base: base, prefix, create: create)
    }

    /// The cached response for `url` and `integrity`: absent (or no key), refused when the entry is
    /// not a regular file within the response size limit carrying this key's tag (it is then
    /// removed), else found.
    func attestations(url: String, integrity: String) -> CacheFolder.Entry<Data> {
        guard let key = attestationKey else { return .absent }
        let (prefix, name) = Self.attestationsEntry(key, url: url, integrity: integrity)
        guard let folder = attestationsFolder(prefix, create: false) else { return .absent }
        defer { folder.close() }
        switch folder.readRegularFile(name, limit: RegistryClient.maxAttestationsBytes + Self.tagSize) {
        case .absent: return .absent
        case .refused: folder.remove(name); return .refused
        case .found(let entry):
            let body = entry.dropFirst(Self.tagSize)
            guard entry.count > Self.tagSize,
                  MessageAuthentication.tagsEqual(Array(entry.prefix(Self.tagSize)), Self.bodyTag(key, url: url, integrity: integrity, body: body)) else {
                folder.remove(name)
                return .refused
            }
            return .found(Data(body))
        }
    }

    /// Keeps a response whose every bundle just verified, with its tag. No fsync: a torn entry
    /// fails its tag on a later run and is then fetched again.
    func storeAttestations(_ body: Data, url: String, integrity: String) {
        guard let key = attestationKey else { return }
        let (prefix, name) = Self.attestationsEntry(key, url: url, integrity: integrity)
        guard let folder = attestationsFolder(prefix, create: true) else { return }
        defer { folder.close() }
        folder.createFile(name, contents: .memory(Data(Self.bodyTag(key, url: url, integrity: integrity, body: body)) + body))
    }

    /// Removes the entry for `url` and `integrity` (it no longer verifies).
    func discardAttestations(url: String, integrity: String) {
        guard let key = attestationKey else { return }
        let (prefix, name) = Self.attestationsEntry(key, url: url, integrity: integrity)
        guard let folder = attestationsFolder(prefix, create: false) else { return }
        defer { folder.close() }
        folder.remove(name)
    }
}
