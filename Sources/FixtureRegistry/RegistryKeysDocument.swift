import SafeJSON

/// The body of `GET /-/npm/v1/keys` (§2.6): every registry key with its id,
/// type, base64 DER SPKI and `expires` (null while the key is current).
enum RegistryKeysDocument {
    static func render(_ keys: [RegistryKeyring.PublicKey]) -> JSONValue {
        .object(["keys": .array(keys.map { key in
            [
                "expires": key.expires.map { .string(PackumentDocument.timestamp($0)) } ?? .null,
                "keyid": .string(key.keyid),
                "keytype": "ecdsa-sha2-nistp256",
                "scheme": "ecdsa-sha2-nistp256",
                "key": .string(key.spki),
            ]
        })])
    }
}
