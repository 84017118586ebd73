internal import COpenSSL

extension PublicKey {
    /// The key itself, whatever its encoding: the curve and affine point of an EC key (compressed
    /// or not, named or explicit curve), the modulus and exponent of an RSA key (rsaEncryption or
    /// RSASSA-PSS), the raw bytes of an Ed25519 key, else the SPKI DER. Two encodings of one key
    /// give the same bytes, so "each key counts once" cannot be dodged by re-encoding it.
    public var canonicalIdentity: [UInt8] {
        switch kind {
        case .ecdsa(let curve):
            guard let x = bigNumber("qx"), let y = bigNumber("qy") else { return spkiDER }
            return Self.tagged("ec", [Array(curve.utf8), x, y])
        case .rsa:
            guard let n = bigNumber("n"), let e = bigNumber("e") else { return spkiDER }
            return Self.tagged("rsa", [n, e])
        case .ed25519:
            var length = 0
            guard EVP_PKEY_get_raw_public_key(pkey, nil, &length) == 1 else { return spkiDER }
            var raw = [UInt8](repeating: 0, count: length)
            guard EVP_PKEY_get_raw_public_key(pkey, &raw, &length) == 1 else { return spkiDER }
            return Self.tagged("ed25519", [Array(raw.prefix(length))])
        case .other:
            return spkiDER
        }
    }

    /// The big-endian magnitude of the BIGNUM parameter `name`, nil when the key has none.
    private func bigNumber(_ name: String) -> [UInt8]? {
        var value: OpaquePointer? = nil
        guard EVP_PKEY_get_bn_param(pkey, name, &value) == 1, let value else { return nil }
        defer { BN_free(value) }
        var bytes = [UInt8](repeating: 0, count: (Int(BN_num_bits(value)) + 7) / 8)
        _ = BN_bn2bin(value, &bytes)
        return bytes
    }

    /// `tag`, then each part behind its 4-byte length, so no two lists of parts collide.
    private static func tagged(_ tag: String, _ parts: [[UInt8]]) -> [UInt8] {
        var out = Array(tag.utf8)
        for part in parts {
            let count = UInt32(part.count)
            out += [UInt8(count >> 24), UInt8(truncatingIfNeeded: count >> 16), UInt8(truncatingIfNeeded: count >> 8), UInt8(truncatingIfNeeded: count)]
            out += part
        }
        return out
    }
}
