public import NpmModel
public import RegistryClient
import CodedError
import Synchronization

/// The signing keys of each registry, decided once per run and shared by every check of the run
/// (install's signature and provenance gates, audit, verify-lockfile): pinned or embedded keys
/// (`RegistryKeyTrust`) where trust provides them, else the registry's `/-/npm/v1/keys`, fetched
/// once per registry however many packages ask at once (`SingleFlightCache`). A registry answering
/// 404 or 400 has no keys (nil), as npm reads it. Under `requireSignatures` only keys from trust
/// count: a registry's own word for its keys, and a registry without keys, are errors.
public final class RegistryKeyStore: Sendable {
    private let client: RegistryClient
    private let trust: RegistryKeyTrust
    private let requireSignatures: Bool
    private let fetched = SingleFlightCache<String, [RegistryKey]?>()
    /// `trust.keys(forRegistry:)` per registry: fixed for the run, and it parses the URL.
    private let trusted = Mutex<[String: [RegistryKey]?]>([:])

    public init(client: RegistryClient, trust: RegistryKeyTrust, requireSignatures: Bool = false) {
        self.client = client
        self.trust = trust
        self.requireSignatures = requireSignatures
    }

    /// The keys of the registry serving `name`; a malformed document fails closed.
    public func keys(for name: PackageName) async throws -> [RegistryKey]? {
        let registry = client.configuration.registry(for: name)
        if requireSignatures, !trust.isCurrent(forRegistry: registry) {
            throw NpmVerifyError(.untrustedKeys, Self.selfVouching(name, registry: registry))
        }
        if let known = trustedKeys(forRegistry: registry) { return known }
        let keys = try await fetched.value(for: registry) { [client] in
            guard let document = try await client.registryKeysDocument(for: name) else { return nil }
            do {
                return try RegistryKey.parseRegistryKeys(document)
            } catch {
                throw NpmVerifyError(.malformedKeys, "\(registry)-/npm/v1/keys is unusable: \(error)")
            }
        }
        if requireSignatures, keys?.isEmpty ?? true {
            throw NpmVerifyError(.missingSignatureKey, "\(name.value): its registry \(registry) publishes no signing keys, and --require-signatures is set")
        }
        return keys
    }

    /// Whether current trust (a pin, a TUF target) gives the keys of `name`'s registry, rather than
    /// that registry's own word or npm's keys embedded at build time.
    public func keysComeFromTrust(for name: PackageName) -> Bool {
        trust.isCurrent(forRegistry: client.configuration.registry(for: name))
    }

    /// Why required signatures cannot rest on keys a registry serves about itself: whoever answers
    /// for the registry (a project `.npmrc` can name any) would sign its own packages.
    public static func selfVouching(_ name: PackageName, registry: String) -> String {
        guard !NpmRegistryKeys.isPublicRegistry(registry) else {
            return "\(name.value): signatures are required (--require-signatures, or a policy's requireSignatures), but the keys of \(registry) were not had from its TUF target, "
                + "and npm's keys embedded at build time are not used for that (a key revoked since would still count): let verify-install reach TUF, or pin the keys (--registry-keys FILE)"
        }
        return "\(name.value): signatures are required (--require-signatures, or a policy's requireSignatures), but no pinned keys or TUF target vouch for the keys of its registry \(registry); "
            + "the keys it serves about itself (\(registry)-/npm/v1/keys) prove nothing, since whoever answers for it would sign its own packages. "
            + "Pin that registry's keys (--registry-keys FILE) to require its signatures"
    }

    private func trustedKeys(forRegistry registry: String) -> [RegistryKey]? {
        if let known = trusted.withLock({ $0[registry] }) { return known }
        let keys = trust.keys(forRegistry: registry)
        trusted.withLock { $0[registry] = .some(keys) }
        return keys
    }

    /// Every key this store holds so far: pinned or TUF keys, and those fetched from registries.
    public var knownKeys: [RegistryKey] {
        let vouched = trusted.withLock { Array($0.values) }
        return (vouched + fetched.finishedValues).flatMap { $0 ?? [] }
    }

    /// Where the keys of `name`'s registry come from, for reports.
    public func source(for name: PackageName) -> String {
        trust.source(forRegistry: client.configuration.registry(for: name))
    }
}
