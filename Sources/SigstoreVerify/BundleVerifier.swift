public import FoundationEssentials
public import OpenSSLCrypto
public import SigstoreModels
import CodedError

/// Verifies Sigstore bundles against trusted material, failing closed at each step.
///
/// Order (after sigstore-js `verifier.js`): RFC 3161 timestamps and SET-signed log entries give
/// the signed times (an inclusion proof alone signs no time, as in sigstore-go), at least one
/// is required; the signer is established (certificate: validity at those times only, chain,
/// leaf profile, SCTs; or a supplied key); every log body must record this bundle;
/// the artifact must match; the signature must verify; then the identity policy.
public struct BundleVerifier: Sendable {
    /// Which signer the caller accepts.
    public enum SignerPolicy: Sendable {
        /// Any certificate that chains to the trusted root (npm's `sigstore.verify` without policy).
        case anyCertificate
        /// A certificate whose identity satisfies the policy.
        case certificate(IdentityPolicy)
        /// A key-signed bundle verified with this key (valid at every time, like npm's keySelector).
        case publicKey(PublicKey)
    }

    public let trusted: TrustedMaterial
    public var transparencyLog = TransparencyLogCheck()
    public var certificateTransparency = SCTCheck()
    /// The verifier's clock: a signed time later than it (plus ``clockSkewAllowance``) is refused.
    /// A log or timestamp authority does not sign times it has not reached; a future time is a
    /// forgery or a broken signer clock, and would let a key-signed bundle outlive its key's expiry.
    public var now: @Sendable () -> Date = { Date() }
    /// How far a signed time may run ahead of ``now`` (clock skew between signer and verifier).
    public static let clockSkewAllowance: TimeInterval = 300

    public init(trusted: TrustedMaterial) { self.trusted = trusted }

    /// Decodes bundle JSON (malformed → `.bundleFormat`) and verifies it.
    public func verify(bundleJSON: Data, artifact: Artifact?, signer: SignerPolicy) throws -> VerifiedBundle {
        let bundle: SigstoreBundle
        do { bundle = try SigstoreBundle(jsonData: bundleJSON) } catch let error as SigstoreModelError {
            throw VerificationError(.bundleFormat, error.description)
        }
        return try verify(bundle, artifact: artifact, signer: signer)
    }

    public func verify(_ bundle: SigstoreBundle, artifact: Artifact?, signer policy: SignerPolicy) throws -> VerifiedBundle {
        let authorityTimes = try TimestampAuthorityCheck().verify(bundle.rfc3161Timestamps, signature: bundle.content.signatureBytes, trusted: trusted)
        let times = try transparencyLog.verify(bundle.tlogEntries, trusted: trusted, signedTimes: authorityTimes) + authorityTimes
        guard !times.isEmpty else {
            let unsigned = bundle.tlogEntries.filter { $0.signedEntryTimestamp == nil }.map { String($0.logIndex) }
            throw VerificationError(.timestampThreshold, "no signed time: expected a log entry with a verified signed entry timestamp or a verified RFC 3161 timestamp, found no RFC 3161 timestamp and no SET on log entries \(unsigned.joined(separator: ", ")) (an inclusion proof does not sign integratedTime)")
        }
        let latestAllowed = now().addingTimeInterval(Self.clockSkewAllowance)
        if let future = times.first(where: { $0 > latestAllowed }) {
            throw VerificationError(.signingTime, "expected every signed time at or before \(latestAllowed) (now, plus \(Int(Self.clockSkewAllowance)) s of clock skew), found \(future): a forged time, or this machine's clock is behind")
        }

        let signer: VerifiedBundle.Signer
        let key: PublicKey
        switch (bundle.signingMaterial, policy) {
        case (.publicKey(let hint), .publicKey(let supplied)):
            if case .dsseEnvelope(let envelope) = bundle.content, !hint.isEmpty, !envelope.signature.keyid.isEmpty, !hint.utf8.elementsEqual(envelope.signature.keyid.utf8) {
                throw VerificationError(.publicKey, "expected the DSSE keyid \(envelope.signature.keyid) to equal the key hint \(hint)")
            }
            key = supplied
            signer = .publicKey(supplied)
        case (.publicKey(let hint), _):
            throw VerificationError(.publicKey, "bundle is signed by key \(hint.isEmpty ? "(no hint)" : hint) but no public key was supplied")
        case (_, .publicKey):
            throw VerificationError(.publicKey, "expected a key-signed bundle, found a certificate-signed one")
        case (let material, _):
            let path = try establishCertificate(material, at: times)
            key = try path[0].publicKey()
            signer = .certificate(path: path, identity: FulcioIdentity(certificate: path[0]))
        }

        let leaf: Certificate? = if case .certificate(let path, _) = signer { path.first } else { nil }
        for entry in bundle.tlogEntries { try TlogBodyCheck().verify(entry, content: bundle.content, leaf: leaf, key: key) }
        let statement = try ArtifactCheck().verify(bundle.content, artifact: artifact)
        try SignatureCheck().verify(bundle.content, key: key, artifact: artifact)
        if case .certificate(let identityPolicy) = policy, let identity = signer.identity {
            try identityPolicy.verify(identity)
        }
        return VerifiedBundle(bundle: bundle, signer: signer, timestamps: times, statement: statement)
    }

    /// Leaf validity at every time, chain, code-signing profile, SCTs.
    func establishCertificate(_ material: SigstoreBundle.SigningMaterial, at times: [Date]) throws -> [Certificate] {
        guard let leafDER = material.leafCertificate else { throw VerificationError(.publicKey, "bundle has no signing certificate") }
        let leaf: Certificate
        do { leaf = try Certificate(der: leafDER) } catch {
            throw VerificationError(.certificateChain, "signing certificate is not valid DER: \(error)")
        }
        // Like sigstore-js, only the leaf of an x509CertificateChain is used; trust comes from the trusted root.
        for time in times where !leaf.isValid(at: time) {
            throw VerificationError(.signingTime, "signing time \(time) is outside the certificate validity \(leaf.notBefore) – \(leaf.notAfter)")
        }
        let path = try CertificateChainCheck().verify(leaf: leaf, at: times, trusted: trusted)
        try LeafProfileCheck().verify(leaf)
        try certificateTransparency.verify(path: path, trusted: trusted)
        return path
    }
}

extension VerifiedBundle.Signer {
    var identity: FulcioIdentity? {
        if case .certificate(_, let identity) = self { return identity }
        return nil
    }
}

extension SigstoreBundle.Content {
    /// The signature bytes RFC 3161 timestamps are computed over.
    var signatureBytes: [UInt8] {
        switch self {
        case .dsseEnvelope(let envelope): envelope.signature.sig
        case .messageSignature(let message): message.signature
        }
    }
}
