import FoundationEssentials
import NpmModel
import CodedError
import DurableFile

/// The signing keys of `registry.npmjs.org`, from trust rather than from the registry itself.
///
/// npm takes these keys from the public-good TUF target `registry.npmjs.org/keys.json` and asks
/// the registry's own `/-/npm/v1/keys` only when TUF has no such target. A mirror or an attacker
/// in the middle answering for `registry.npmjs.org` must not be able to add a key of its own, so
/// when the TUF target cannot be had these are npm's real keys, embedded: the same two keys and
/// expiries that `https://registry.npmjs.org/-/npm/v1/keys` and the TUF target publish (the
/// 2023 key `SHA256:jl3bw…` expired 2025-01-29, replaced by `SHA256:DhQ8w…`). Both are used for
/// `npm:signatures` and `npm:attestations`, as the TUF target says.
public enum NpmRegistryKeys {
    /// The host whose keys are embedded.
    public static let host = "registry.npmjs.org"

    /// A `/-/npm/v1/keys` body with npm's real keys.
    public static let document = #"""
        {"keys":[
         {"expires":"2025-01-29T00:00:00.000Z","keyid":"SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA","keytype":"ecdsa-sha2-nistp256","scheme":"ecdsa-sha2-nistp256","key":"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE1Olb3zMAFFxXKHiIkQO5cJ3Yhl5i6UPp+IhuteBJbuHcA5UogKo0EWtlWwW6KSaKoTNEYL7JlCQiVnkhBktUgg=="},
         {"expires":null,"keyid":"SHA256:DhQ8wR5APBvFHLF/+Tc+AYvPOdTpcIDqOhxsBHRwC7U","keytype":"ecdsa-sha2-nistp256","scheme":"ecdsa-sha2-nistp256","key":"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEY6Ya7W++7aUPzvMTrezH6Ycx3c+HOKYCcNGybJZSCJq/fd7Qa8uuAKtdIkUQtQiEKERhAmE5lMMJhP8OkDOa2g=="}
        ]}
        """#

    /// npm's keys, parsed (the embedded document is known to parse; a failure is a build defect).
    public static let keys: [RegistryKey] = {
        do { return try RegistryKey.parseRegistryKeys(Data(document.utf8)) } catch {
            fatalError("the embedded npm registry keys do not parse: \(error)")
        }
    }()

    /// Whether `registry` (a base URL) is the public npm registry, by exact host.
    public static func isPublicRegistry(_ registry: String) -> Bool {
        URLHost.of(registry)?.lowercased() == host
    }
}

/// Where a registry's signing keys come from, in order: keys pinned by the user
/// (`--registry-keys FILE`); for `registry.npmjs.org` the public-good TUF target, else npm's keys
/// embedded here; for any other registry its own `/-/npm/v1/keys` (as npm does).
public struct RegistryKeyTrust: Sendable {
    /// `--registry-keys FILE`: used for every registry instead of anything it publishes.
    public let pinned: [RegistryKey]?
    /// The file the pinned keys came from, for messages.
    public let pinnedSource: String?

    /// `registry.npmjs.org`'s keys from the public-good TUF target, when they were fetched.
    public let publicRegistry: [RegistryKey]?
    public let publicRegistrySource: String?
    /// Keys one registry's trust provides (the fixture world's, through its TUF repository); other
    /// registries are left to the rules above.
    public let oneRegistry: (registry: String, keys: [RegistryKey], source: String)?

    public init(pinned: [RegistryKey]? = nil, pinnedSource: String? = nil) {
        self.pinned = pinned
        self.pinnedSource = pinnedSource
        publicRegistry = nil
        publicRegistrySource = nil
        oneRegistry = nil
    }

    /// `registry.npmjs.org`'s keys as the TUF target `registry.npmjs.org/keys.json` gave them.
    public init(publicRegistry keys: [RegistryKey], source: String) {
        pinned = nil
        pinnedSource = nil
        publicRegistry = keys
        publicRegistrySource = source
        oneRegistry = nil
    }

    /// `keys` for `registry` only (a base URL, compared exactly), from `source`.
    public init(registry: String, keys: [RegistryKey], source: String) {
        pinned = nil
        pinnedSource = nil
        publicRegistry = nil
        publicRegistrySource = nil
        oneRegistry = (registry, keys, source)
    }

    /// Reads `--registry-keys FILE` (a `/-/npm/v1/keys` body or a TUF `keys.json`).
    public static func pinning(file path: String) throws -> RegistryKeyTrust {
        let data: Data
        do { data = try DurableFile.readNamed(path, limit: TrustRootResolver.maxFileBytes) } catch {
            throw NpmVerifyError(.malformedKeys, "cannot read registry keys file \(path): \(error.reason)")
        }
        let keys = try RegistryKey.parseKeysDocument(data)
        guard !keys.isEmpty else { throw NpmVerifyError(.malformedKeys, "registry keys file \(path) lists no keys") }
        return RegistryKeyTrust(pinned: keys, pinnedSource: path)
    }

    /// Keys known without asking `registry`; nil means: fetch its `/-/npm/v1/keys`.
    public func keys(forRegistry registry: String) -> [RegistryKey]? {
        if let pinned { return pinned }
        if let oneRegistry, oneRegistry.registry == registry { return oneRegistry.keys }
        return NpmRegistryKeys.isPublicRegistry(registry) ? publicRegistry ?? NpmRegistryKeys.keys : nil
    }

    /// Whether `keys(forRegistry:)` is current trust: pinned, or a TUF target. npm's keys embedded
    /// at build time are not, under required signatures: blocking TUF must not bring back a key
    /// revoked since (found by a re-attack: a scope routed to registry.npmjs.org took them).
    public func isCurrent(forRegistry registry: String) -> Bool {
        if pinned != nil { return true }
        if let oneRegistry, oneRegistry.registry == registry { return true }
        return NpmRegistryKeys.isPublicRegistry(registry) && publicRegistry != nil
    }

    /// Where `keys(forRegistry:)` came from, for reports.
    public func source(forRegistry registry: String) -> String {
        if let pinnedSource { return "pinned by --registry-keys \(pinnedSource)" }
        if let oneRegistry, oneRegistry.registry == registry { return oneRegistry.source }
        guard NpmRegistryKeys.isPublicRegistry(registry) else { return "\(registry)-/npm/v1/keys, served by that registry itself (no TUF root or pin vouches for them)" }
        return publicRegistrySource ?? "npm's registry keys embedded in verify-install"
    }
}
