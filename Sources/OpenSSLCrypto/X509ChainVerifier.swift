internal import COpenSSL
internal import COpenSSLShims
public import FoundationEssentials

/// Builds and verifies a certificate path with OpenSSL at a given instant (never "now").
///
/// Mechanism only: the caller chooses roots and intermediates (for Sigstore, one
/// certificate authority of the trusted root) and the validation time.
public enum X509ChainVerifier {
    /// A certificate and its issuer whose signature the caller has already verified.
    public struct Link: Sendable {
        public let subject: Certificate
        public let issuer: Certificate

        public init(subject: Certificate, issuer: Certificate) {
            self.subject = subject
            self.issuer = issuer
        }
    }

    /// Returns the verified path `[leaf, …, root]`, or throws with OpenSSL's reason.
    ///
    /// Every check of `X509_verify_cert` runs; only the signature of a link in `knownLinks`
    /// (these very objects, as a subject and its issuer in the built path) is not computed again.
    /// Each link's issuer key usage and every certificate's validity at `time` are still checked.
    public static func verify(leaf: Certificate, intermediates: [Certificate], roots: [Certificate], at time: Date,
                              knownLinks: [Link] = []) throws -> [Certificate] {
        let owner = try X509StoreContext(store: try X509Store(roots: roots, at: time), leaf: leaf,
                                         untrusted: try X509BorrowedStack(intermediates))
        let context = owner.context
        defer { withExtendedLifetime((owner, knownLinks)) {} }

        let subjects: [OpaquePointer?] = knownLinks.map(\.subject.x509), issuers: [OpaquePointer?] = knownLinks.map(\.issuer.x509)
        let result = shim_X509_verify_cert_known_links(context, subjects, issuers, Int32(knownLinks.count))
        guard result == 1 else {
            let code = X509_STORE_CTX_get_error(context)
            let reason = X509_verify_cert_error_string(Int(code)).map { String(cString: $0) } ?? "code \(code)"
            let depth = X509_STORE_CTX_get_error_depth(context)
            ERR_clear_error()
            throw OpenSSLError.reason("X509_verify_cert at \(time)", "\(reason) (depth \(depth))")
        }
        guard let chain = X509_STORE_CTX_get0_chain(context) else { throw OpenSSLError("X509_STORE_CTX_get0_chain") }
        // OpenSSL builds the path from the very X509 objects it was given: hand back the caller's
        // certificates (re-encoding and re-parsing each one was 8% of a bundle's verification).
        let given = [leaf] + intermediates + roots
        var path: [Certificate] = []
        for index in 0..<shim_sk_X509_num(chain) {
            guard let cert = shim_sk_X509_value(chain, index) else { throw OpenSSLError("sk_X509_value") }
            path.append(try given.first { $0.x509 == cert } ?? Certificate(der: Certificate.encode(cert)))
        }
        return path
    }
}

extension OpenSSLError {
    /// An error with an explicit reason rather than the drained queue.
    static func reason(_ operation: String, _ reason: String) -> OpenSSLError {
        OpenSSLError(operation: operation, reasons: [reason])
    }
}
