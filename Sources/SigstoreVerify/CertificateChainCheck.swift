public import FoundationEssentials
public import OpenSSLCrypto
import SigstoreModels
import CodedError

/// Chains a leaf to a certificate authority of the trusted root at every signing time (PROTOCOLS §5.3, §5.6).
///
/// Candidate authorities are those whose `validFor` contains every time and the
/// leaf's whole validity (npm 10's and npm 11's sigstore-js rules together); the path
/// is verified by OpenSSL at each time, so every certificate must be valid then. A link whose
/// signature verified before (`TrustedMaterial.verifiedLinks`) is not verified again, and a
/// leaf's signature under a P-384 issuer that has issued many leaves of this run is verified with its prepared key
/// (`RepeatedKeyVerifier`) instead of by OpenSSL's chain verification.
public struct CertificateChainCheck: Sendable {
    public init() {}

    /// Returns the verified path `[leaf, …, anchor]`.
    public func verify(leaf: Certificate, at times: [Date], trusted: TrustedMaterial) throws -> [Certificate] {
        guard !times.isEmpty else { throw VerificationError(.certificateChain, "no trusted time to verify the certificate chain at") }
        var failures: [String] = []
        let window = [leaf.notBefore, leaf.notAfter]
        let leafDigest = Digest.hash(.sha256, leaf.derBytes)
        for authority in trusted.certificateAuthorities where (times + window).allSatisfy(authority.validFor.contains) {
            guard let anchor = authority.chain.last else { continue }
            guard authority.anchorIsSelfSigned else { failures.append("\(anchor.subject): trust anchor is not self-signed"); continue }
            do {
                var path: [Certificate] = []
                var prepared: X509ChainVerifier.Link?? = nil  // looked for once, on the first time
                for time in times {
                    var known = trusted.verifiedLinks.known(among: [(leaf, leafDigest)] + zip(authority.chain, authority.digests).map { ($0, $1) })
                    if !known.contains(where: { $0.subject === leaf }) {
                        if prepared == nil { prepared = authority.preparedLink(for: leaf) }
                        if let link = prepared ?? nil { known.append(link) }
                    }
                    path = try X509ChainVerifier.verify(leaf: leaf, intermediates: Array(authority.chain.dropLast()), roots: [anchor],
                                                        at: time, knownLinks: known)
                    trusted.verifiedLinks.record(path: path.map { certificate in
                        if certificate === leaf { return leafDigest }
                        if let index = authority.chain.firstIndex(where: { $0 === certificate }) { return authority.digests[index] }
                        return Digest.hash(.sha256, certificate.derBytes)
                    })
                }
                return path
            } catch {
                failures.append("\(anchor.subject): \(error)")
            }
        }
        if failures.isEmpty {
            throw VerificationError(.certificateChain, "no certificate authority of the trusted root is valid at \(times.map(\.description).joined(separator: ", "))")
        }
        throw VerificationError(.certificateChain, "leaf issued by \(leaf.issuer) does not chain to a trusted authority: \(failures.joined(separator: "; "))")
    }
}
