public import FoundationEssentials
public import NpmModel
import OpenSSLCrypto
import CodedError

/// Verifies `dist.signatures` the way pacote does (PROTOCOLS §3.2): the signed message is
/// `${name}@${version}:${integrity}`, ECDSA P-256/SHA-256, DER, base64.
public struct RegistrySignatureVerifier: Sendable {
    public let keys: [RegistryKey]

    /// `keys` with `usage` nil or `npm:signatures` are used.
    public init(keys: [RegistryKey]) {
        self.keys = keys.filter { $0.usage == nil || $0.usage == "npm:signatures" }
    }

    /// The exact bytes the registry signs.
    public static func message(name: String, version: String, integrity: String) -> [UInt8] {
        Array("\(name)@\(version):\(integrity)".utf8)
    }

    /// Throws unless every signature names a known, unexpired key and verifies; no signature is
    /// `.missingSignature`. An expiring key needs `publishTime`: without it, expiry cannot be judged.
    public func verify(name: String, version: String, integrity: String, signatures: [RegistrySignature], publishTime: Date?) throws {
        guard !signatures.isEmpty else {
            throw NpmVerifyError(.missingSignature, "\(name)@\(version) has no registry signature but the registry publishes keys")
        }
        let message = Self.message(name: name, version: version, integrity: integrity)
        for signature in signatures {
            guard let key = keys.first(where: { $0.isNamed(signature.keyid) }) else {
                throw NpmVerifyError(.missingSignatureKey, "\(name)@\(version) is signed by key \(signature.keyid), which the registry does not list")
            }
            // Expiry only: the registry re-signs old versions with a newer key, so a key's TUF start
            // says nothing about a version's publish time (npm ignores it too).
            if let expires = key.expires {
                guard let published = publishTime else {
                    throw NpmVerifyError(.expiredSignatureKey, "\(name)@\(version) is signed by key \(key.keyid), which expires \(expires), but the registry gives no publish time for the version (time[\"\(version)\"]), so the key's validity cannot be judged")
                }
                guard published < expires else {
                    throw NpmVerifyError(.expiredSignatureKey, "\(name)@\(version) was published \(published), at or after key \(key.keyid) expired \(expires)")
                }
            }
            guard let der = Data(base64Encoded: signature.sig),
                  key.publicKey.verify(signature: [UInt8](der), message: message, digest: .sha256) else {
                throw NpmVerifyError(.invalidSignature, "registry signature of \(name)@\(version) by key \(key.keyid) does not verify over \"\(name)@\(version):\(integrity)\"")
            }
        }
    }
}
