public import Foundation
import SafeJSON

/// The registry's keys as a TUF target (`<host>/keys.json`), in the shape of public-good's
/// `registry.npmjs.org/keys.json`: each key twice, for `npm:signatures` and `npm:attestations`,
/// with `validFor.end` when it expires.
public enum RegistryKeysTUFTarget {
    /// The target name npm and verify-install look up for `registry`: `host[:port]/keys.json`.
    public static func name(forRegistry registry: String) -> String? {
        guard let url = URLComponents(string: registry), let host = url.host else { return nil }
        return (url.port.map { "\(host):\($0)" } ?? host) + "/keys.json"
    }

    public static func render(_ keys: [RegistryKeyring.PublicKey]) throws -> Data {
        let entries: [JSONValue] = keys.flatMap { key in
            ["npm:signatures", "npm:attestations"].map { usage -> JSONValue in
                var validFor: [String: JSONValue] = ["start": "1999-01-01T00:00:00.000Z"]
                if let expires = key.expires { validFor["end"] = .string(PackumentDocument.timestamp(expires)) }
                return ["keyId": .string(key.keyid), "keyUsage": .string(usage),
                        "publicKey": ["rawBytes": .string(key.spki), "keyDetails": "PKIX_ECDSA_P256_SHA_256", "validFor": .object(validFor)]]
            }
        }
        return try JSONValue.object(["keys": .array(entries)]).serialized(pretty: true)
    }
}
