import CodedError
import Crypto
public import Foundation
public import SafeJSON
import SwiftASN1
public import X509

/// A Fulcio-like certificate authority for GitHub Actions identities (PROTOCOLS §5).
///
/// It checks an OIDC token with `OIDCTokenVerifier` (audience `sigstore`) and a
/// proof of possession, then issues a 10-minute code-signing leaf with the
/// workflow SAN, every GitHub Fulcio extension and an SCT embedded from `CTLog`,
/// by way of a poisoned precertificate, as Fulcio does.
public struct FulcioCA: Sendable {
    /// What `trusted_root.json` records as the CA's URL.
    public let uri: String
    public let root: Certificate
    public let intermediate: Certificate
    public let material: Material
    public let ctLog: CTLog
    public let tokenVerifier: OIDCTokenVerifier
    /// Leaf lifetime (Fulcio: ten minutes).
    public let leafLifetime: TimeInterval
    let intermediateKey: P384.Signing.PrivateKey
    let clock: @Sendable () -> Date

    /// `tokenVerifier` must expect audience `sigstore` and the fixture issuer.
    public init(material: Material, ctLog: CTLog, tokenVerifier: OIDCTokenVerifier, uri: String = "https://fulcio.fixture.invalid",
                leafLifetime: TimeInterval = 600, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        self.root = try Certificate(pemEncoded: material.rootCertificatePEM)
        self.intermediate = try Certificate(pemEncoded: material.intermediateCertificatePEM)
        self.intermediateKey = try P384.Signing.PrivateKey(pemRepresentation: material.intermediateKeyPEM)
        guard Certificate.PublicKey(intermediateKey.publicKey) == intermediate.publicKey else {
            throw FulcioError(.internal, "the intermediate key does not match the intermediate certificate \(intermediate.subject)")
        }
        self.material = material
        self.ctLog = ctLog
        self.tokenVerifier = tokenVerifier
        self.uri = uri
        self.leafLifetime = leafLifetime
        self.clock = clock
    }

    /// An issued leaf and its chain.
    public struct Issued: Sendable {
        /// `[leaf, intermediate, root]`.
        public let chain: [Certificate]
        /// The SCT embedded in the leaf.
        public let sct: CTLog.SCT
        public var leaf: Certificate { chain[0] }

        /// PEM of each certificate, leaf first (the Fulcio response's `certificates`).
        public func pemChain() throws -> [String] { try chain.map { try $0.serializeAsPEM().pemString + "\n" } }

        /// DER of each certificate, leaf first.
        public func derChain() throws -> [[UInt8]] { try chain.map(FulcioCA.der) }
    }

    // MARK: - Issuing

    /// Verifies `token` and the proof of possession (a signature over the token's `sub` by the key in
    /// `publicKeyPEM`), then issues the leaf. Throws `FulcioError` naming the refusal.
    public func issue(token: String, publicKeyPEM: String, proofOfPossession: [UInt8]) async throws -> Issued {
        let claims: OIDCClaims
        do { claims = try await tokenVerifier.verify(token) } catch let error as OIDCTokenError {
            throw FulcioError(.unauthenticated, "There was an error processing the identity token: \(error.message)", token: error.code)
        }
        if let missing = FulcioGitHubExtensions.missingClaim(in: claims) {
            throw FulcioError(.invalidArgument, "There was an error processing the identity token: GitHub claim \(missing) is missing or empty")
        }
        guard let subject = claims.subject, !subject.isEmpty else {
            throw FulcioError(.invalidArgument, "There was an error processing the identity token: expected a sub claim, found none")
        }
        let publicKey = try ProofOfPossession.verify(publicKeyPEM: publicKeyPEM, signature: proofOfPossession, subject: subject)
        return try issueLeaf(publicKey: publicKey, claims: claims)
    }

    /// Mechanism only: builds the precertificate, gets its SCT, issues the final leaf.
    func issueLeaf(publicKey: Certificate.PublicKey, claims: OIDCClaims) throws -> Issued {
        // X.509 times have whole seconds: truncate, as Fulcio does, or the encoder may round the
        // start past a Rekor integratedTime taken in the same second.
        let now = Date(timeIntervalSince1970: clock().timeIntervalSince1970.rounded(.down))
        let serial = Certificate.SerialNumber(bytes: IdentityEncoding.serialNumberBytes())
        let base = try leafExtensions(publicKey: publicKey, claims: claims)
        let poison = Certificate.Extension(oid: CTLog.poisonOID, critical: true, value: [0x05, 0x00])
        let precertificate = try makeLeaf(serial: serial, publicKey: publicKey, now: now, extensions: base + [poison])
        let sct: CTLog.SCT
        do { sct = try ctLog.addPreChain([try Self.der(precertificate), try Self.der(intermediate)]) } catch {
            throw FulcioError(.internal, "the CT log refused the precertificate: \(error)")
        }
        let sctList = Certificate.Extension(oid: CTLog.sctListOID, critical: false,
                                            value: ArraySlice(try CTLog.SCT.listExtensionValue([sct])))
        let leaf = try makeLeaf(serial: serial, publicKey: publicKey, now: now, extensions: base + [sctList])
        return Issued(chain: [leaf, intermediate, root], sct: sct)
    }

    /// KeyUsage (critical), EKU codeSigning, SKI, AKI, SAN (critical), then the 57264 extensions (PROTOCOLS §5.1).
    private func leafExtensions(publicKey: Certificate.PublicKey, claims: OIDCClaims) throws -> [Certificate.Extension] {
        guard let issuerSKI = try intermediate.extensions.subjectKeyIdentifier else {
            throw FulcioError(.internal, "the intermediate certificate has no subject key identifier")
        }
        let san = "https://github.com/" + (claims["job_workflow_ref"] ?? "")
        return [
            try Certificate.Extension(KeyUsage(digitalSignature: true), critical: true),
            try Certificate.Extension(try ExtendedKeyUsage([.codeSigning]), critical: false),
            try Certificate.Extension(SubjectKeyIdentifier(hash: publicKey), critical: false),
            try Certificate.Extension(AuthorityKeyIdentifier(keyIdentifier: issuerSKI.keyIdentifier), critical: false),
            try Certificate.Extension(SubjectAlternativeNames([.uniformResourceIdentifier(san)]), critical: true),
        ] + (try FulcioGitHubExtensions.extensions(claims: claims))
    }

    private func makeLeaf(serial: Certificate.SerialNumber, publicKey: Certificate.PublicKey, now: Date,
                          extensions: [Certificate.Extension]) throws -> Certificate {
        try Certificate(version: .v3, serialNumber: serial, publicKey: publicKey, notValidBefore: now,
                        notValidAfter: now.addingTimeInterval(leafLifetime), issuer: intermediate.subject,
                        subject: DistinguishedName(), signatureAlgorithm: .ecdsaWithSHA384,
                        extensions: try Certificate.Extensions(extensions), issuerPrivateKey: .init(intermediateKey))
    }

    static func der(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }

    // MARK: - Trusted root

    /// The `certificateAuthorities[]` item of `trusted_root.json` (PROTOCOLS §7): chain intermediate then
    /// self-signed root, `validFor.start` = the root's notBefore unless given.
    public func trustedRootEntry(validFrom: Date? = nil) throws -> JSONValue {
        let organization = root.subject.flatMap { $0 }.first { $0.type == .RDNAttributeType.organizationName }
        let commonName = root.subject.flatMap { $0 }.first { $0.type == .RDNAttributeType.commonName }
        return [
            "subject": [
                "organization": .string(organization.map { String(describing: $0.value) } ?? ""),
                "commonName": .string(commonName.map { String(describing: $0.value) } ?? ""),
            ],
            "uri": .string(uri),
            "certChain": ["certificates": .array(try [intermediate, root].map { ["rawBytes": .string(Data(try Self.der($0)).base64EncodedString())] })],
            "validFor": ["start": .string(IdentityTime.rfc3339(validFrom ?? root.notValidBefore))],
        ]
    }
}
