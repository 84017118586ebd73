import COpenSSL
@testable import OpenSSLCrypto

// OpenSSLCrypto's prepared ECDSA keys (`RepeatedKeyVerifier`: RepeatedKeyECDSA.c with the divstep
// inverse of OrderInverse.c) must decide every signature as OpenSSL's own verification does, and
// the divstep inverse must be BN_mod_inverse's. Byte 0 picks the check:
// - even: the inverse; the rest is split in two halves, a modulus and a value;
// - odd: a signature under a P-256 (bit 1 clear) or P-384 key made at start. The next bytes are
//   the digest, which the key signs for real; what is left is XORed into the signature's DER
//   bytes from the byte that bit 2 picks (so valid, high-s and damaged signatures all come up).

/// A key pair made once, its public half parsed as the verifier parses keys, and prepared.
struct Signer {
    let pair: OpaquePointer
    let publicKey: PublicKey
    let prepared: RepeatedKeyVerifier
    let digestLength: Int

    init(group: String, digestLength: Int) {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else { fatalError("fuzz-ecdsa: EVP_PKEY_CTX_new_from_name") }
        defer { EVP_PKEY_CTX_free(context) }
        var pair: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_CTX_set_group_name(context, group) == 1,
              EVP_PKEY_generate(context, &pair) == 1, let pair else { fatalError("fuzz-ecdsa: cannot make a \(group) key") }
        var der: UnsafeMutablePointer<UInt8>?
        let length = i2d_PUBKEY(pair, &der)
        guard length > 0, let der else { fatalError("fuzz-ecdsa: i2d_PUBKEY") }
        defer { CRYPTO_free(der, #fileID, #line) }
        guard let publicKey = try? PublicKey(spkiDER: Array(UnsafeBufferPointer(start: der, count: Int(length)))),
              let prepared = RepeatedKeyVerifier(publicKey) else { fatalError("fuzz-ecdsa: cannot prepare the \(group) key") }
        self.pair = pair
        self.publicKey = publicKey
        self.prepared = prepared
        self.digestLength = digestLength
    }

    /// A DER ECDSA signature of `digest`.
    func sign(_ digest: [UInt8]) -> [UInt8] {
        guard let context = EVP_PKEY_CTX_new(pair, nil) else { fatalError("fuzz-ecdsa: EVP_PKEY_CTX_new") }
        defer { EVP_PKEY_CTX_free(context) }
        var signature = [UInt8](repeating: 0, count: 160)
        var length = signature.count
        guard EVP_PKEY_sign_init(context) == 1, EVP_PKEY_sign(context, &signature, &length, digest, digest.count) == 1 else {
            fatalError("fuzz-ecdsa: EVP_PKEY_sign")
        }
        return Array(signature.prefix(length))
    }
}

nonisolated(unsafe) let signers = [Signer(group: "P-256", digestLength: 32), Signer(group: "P-384", digestLength: 48)]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = fuzzBytes(start, count)
    guard let pick = bytes.first else { return 0 }
    let rest = Array(bytes.dropFirst())
    if pick & 1 == 0 {
        let modulus = Array(rest.prefix(rest.count / 2)), value = Array(rest.dropFirst(rest.count / 2))
        let (divsteps, openSSL) = OrderInverse.inverses(of: value, modulo: modulus)
        // It may give no answer (a modulus beyond its bounds), never another one.
        if let divsteps { precondition(divsteps == openSSL, "divstep inverse \(divsteps) differs from BN_mod_inverse's \(String(describing: openSSL))") }
        return 0
    }
    let signer = signers[Int(pick >> 1) & 1]
    let digest = Array(rest.prefix(signer.digestLength))
    guard digest.count == signer.digestLength else { return 0 }
    var signature = signer.sign(digest)
    let offset = Int(pick >> 2) % signature.count
    for (index, byte) in rest.dropFirst(signer.digestLength).enumerated() where offset + index < signature.count {
        signature[offset + index] ^= byte
    }
    let algorithm: DigestAlgorithm = signer.digestLength == 32 ? .sha256 : .sha384
    let expected = signer.publicKey.verify(signature: signature, prehashedDigest: digest, algorithm: algorithm)
    precondition(signer.prepared.verify(signature: signature, digest: digest) == expected,
                 "prepared key disagrees with OpenSSL (expected \(expected)) on \(signature)")
    return 0
}
