import OpenSSLCrypto
import Synchronization

/// The prepared keys (`RepeatedKeyVerifier`) of one authority's certificates, built for a
/// certificate once it is asked for a second time: a run that checks one leaf does not pay for
/// the tables, a run that checks a thousand leaves of one issuer pays once.
final class IssuerVerifiers: Sendable {
    private enum State { case seenOnce, prepared(RepeatedKeyVerifier?) }
    private let states = Mutex<[Int: State]>([:])

    /// The prepared key of `chain[index]`; nil on its first request and for keys that are not P-384
    /// (a P-256 key's table costs as much as 700 verifications).
    func verifier(_ index: Int, of chain: [Certificate]) -> RepeatedKeyVerifier? {
        states.withLock { states in
            switch states[index] {
            case .prepared(let verifier): return verifier
            case .seenOnce:
                let key = try? chain[index].publicKey()
                let verifier = key?.kind == .ecdsa(curve: "secp384r1") ? key.flatMap(RepeatedKeyVerifier.init) : nil
                states[index] = .prepared(verifier)
                return verifier
            case nil:
                states[index] = .seenOnce
                return nil
            }
        }
    }
}

extension TrustedMaterial.Authority {
    /// The link from `leaf` to the chain certificate that issued it, when that certificate's
    /// prepared key verifies the leaf's signature (OpenSSL then skips only that signature).
    func preparedLink(for leaf: Certificate) -> X509ChainVerifier.Link? {
        for (index, issuer) in chain.enumerated() where issuer.issued(leaf) {
            if let verifier = issuerVerifiers.verifier(index, of: chain), leaf.isSigned(by: verifier) {
                return X509ChainVerifier.Link(subject: leaf, issuer: issuer)
            }
        }
        return nil
    }
}
