public import FoundationEssentials
public import OpenSSLCrypto
public import SigstoreModels

/// A bundle that passed every check. Only `BundleVerifier` can create one.
public struct VerifiedBundle: Sendable {
    /// How the signer was established.
    public enum Signer: Sendable {
        /// A Fulcio leaf with its verified path and identity.
        case certificate(path: [Certificate], identity: FulcioIdentity)
        /// A supplied public key (key-signed bundle, e.g. npm's publish attestation).
        case publicKey(PublicKey)
    }

    public let bundle: SigstoreBundle
    public let signer: Signer
    /// Signed times: SET-signed integrated times, then verified RFC 3161 times.
    public let timestamps: [Date]
    /// The in-toto statement, for DSSE bundles whose payload type is in-toto.
    public let statement: InTotoStatement?

    init(bundle: SigstoreBundle, signer: Signer, timestamps: [Date], statement: InTotoStatement?) {
        self.bundle = bundle
        self.signer = signer
        self.timestamps = timestamps
        self.statement = statement
    }

    /// The signer identity when the signer is a certificate.
    public var identity: FulcioIdentity? {
        if case .certificate(_, let identity) = signer { return identity }
        return nil
    }
}
