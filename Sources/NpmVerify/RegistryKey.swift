public import FoundationEssentials
public import OpenSSLCrypto
import SigstoreModels
import CodedError

/// One registry signing key, from `/-/npm/v1/keys` or the TUF `registry.npmjs.org/keys.json` target.
public struct RegistryKey: Sendable {
    /// Opaque key id, matched literally (`SHA256:…`; not recomputed from the key).
    public let keyid: String
    public let publicKey: PublicKey
    /// Signatures from versions published at or after this instant are refused; nil = never expires.
    public let expires: Date?
    /// TUF `keyUsage` (`npm:signatures`, `npm:attestations`); nil for `/-/npm/v1/keys` entries (usable for both).
    public let usage: String?
    /// TUF `validFor.start`: attestations signed before it are refused (npm ignores it; a key is
    /// not trusted for times its root does not vouch for it). Registry signatures are not judged by
    /// it: old versions are re-signed with newer keys. nil = no start.
    public let validFrom: Date?

    public init(keyid: String, publicKey: PublicKey, expires: Date?, usage: String?, validFrom: Date? = nil) {
        self.keyid = keyid
        self.publicKey = publicKey
        self.expires = expires
        self.usage = usage
        self.validFrom = validFrom
    }

    /// Whether this key has the id `keyid`, byte for byte (as pacote's `===`; Swift's `==` would
    /// also match a canonically equivalent spelling).
    public func isNamed(_ keyid: String) -> Bool { self.keyid.utf8.elementsEqual(keyid.utf8) }

    /// Why an attestation signed at `time` may not use this key (before its start, at or after
    /// its expiry); nil when it may.
    public func refusal(at time: Date) -> String? {
        if let validFrom, time < validFrom { return "key \(keyid) is valid only from \(validFrom), after \(time)" }
        if let expires, time >= expires { return "key \(keyid) expired \(expires), at or before \(time)" }
        return nil
    }

    /// Parses a `/-/npm/v1/keys` body: `{"keys":[{"keyid","key"(b64 SPKI),"expires"}]}`.
    public static func parseRegistryKeys(_ data: Data) throws -> [RegistryKey] {
        try decode(data) { item in
            RegistryKey(keyid: try item.required("keyid").string(), publicKey: try PublicKey(spkiDER: try item.required("key").base64()),
                        expires: try item.optional("expires")?.date(), usage: nil)
        }
    }

    /// Parses the TUF keys target: `{"keys":[{"keyId","keyUsage","publicKey":{"rawBytes","validFor":{"start","end"}}}]}`.
    /// npm turns `validFor.end` into `expires`.
    /// One key listed for two usages (npm's target lists the registry key once for signatures and
    /// once for attestations) is one `PublicKey`, so its verifications count together toward preparing it.
    public static func parseTUFKeys(_ data: Data) throws -> [RegistryKey] {
        var parsed: [[UInt8]: PublicKey] = [:]
        return try decode(data) { item in
            let key = try item.required("publicKey")
            let validFor = try key.optional("validFor")
            let spki = try key.required("rawBytes").base64()
            let publicKey = try parsed[spki] ?? PublicKey(spkiDER: spki)
            parsed[spki] = publicKey
            return RegistryKey(keyid: try item.required("keyId").string(), publicKey: publicKey,
                               expires: try validFor?.optional("end")?.date(), usage: try item.optional("keyUsage")?.string(),
                               validFrom: try validFor?.optional("start")?.date())
        }
    }

    static func decode(_ data: Data, _ entry: (JSONField) throws -> RegistryKey) throws -> [RegistryKey] {
        do {
            return try JSONField.parse(data).required("keys").array().map(entry)
        } catch let error as SigstoreModelError {
            throw NpmVerifyError(.malformedKeys, "registry keys: \(error)")
        } catch let error as OpenSSLError {
            throw NpmVerifyError(.malformedKeys, "registry keys: \(error)")
        }
    }
}
