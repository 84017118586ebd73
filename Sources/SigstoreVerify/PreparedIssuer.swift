import OpenSSLCrypto

extension TrustedMaterial.Authority {
    /// The link from `leaf` to the chain certificate that issued it, when that certificate's P-384
    /// key, prepared once it has issued `PublicKey.preparationThreshold` leaves of this run,
    /// verifies the leaf's signature (OpenSSL then skips only that signature). Other keys are left
    /// to OpenSSL: a P-256 key's table (about 21 ms) would outweigh what its leaves save.
    func preparedLink(for leaf: Certificate) -> X509ChainVerifier.Link? {
        for (index, issuer) in chain.enumerated() where issuer.issued(leaf) {
            guard let key = issuerKeys[index], key.kind == .ecdsa(curve: "secp384r1") else { continue }
            if let verifier = key.countingUse(), leaf.isSigned(by: verifier) {
                return X509ChainVerifier.Link(subject: leaf, issuer: issuer)
            }
        }
        return nil
    }
}
