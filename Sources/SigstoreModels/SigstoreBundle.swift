public import FoundationEssentials

/// A Sigstore bundle (v0.1, v0.2 or v0.3), decoded strictly from its protobuf-JSON form.
///
/// Decoding applies sigstore-js's shape rules per media type (PROTOCOLS §4.1);
/// cryptographic verification is SigstoreVerify's job.
public struct SigstoreBundle: Sendable {
    /// The bundle format version named by the media type.
    public enum Version: String, Sendable, Comparable {
        case v0_1 = "0.1", v0_2 = "0.2", v0_3 = "0.3"
        public static func < (a: Version, b: Version) -> Bool { a.rawValue < b.rawValue }
    }

    /// Who signed: a certificate chain (v0.1/v0.2), one certificate (v0.3) or a key hint.
    public enum SigningMaterial: Sendable, Equatable {
        case certificateChain([[UInt8]])
        case certificate([UInt8])
        case publicKey(hint: String)

        /// The leaf certificate DER, when the signer is a certificate.
        public var leafCertificate: [UInt8]? {
            switch self {
            case .certificateChain(let chain): chain.first
            case .certificate(let der): der
            case .publicKey: nil
            }
        }
    }

    /// What was signed.
    public enum Content: Sendable {
        case dsseEnvelope(DSSEEnvelope)
        case messageSignature(MessageSignature)
    }

    public let mediaType: String
    public let version: Version
    public let signingMaterial: SigningMaterial
    public let tlogEntries: [TransparencyLogEntry]
    /// DER RFC 3161 `TimeStampResp`s over the signature (verified by SigstoreVerify).
    public let rfc3161Timestamps: [[UInt8]]
    public let content: Content

    /// Decodes bundle JSON bytes.
    public init(jsonData: Data) throws {
        try self.init(json: try JSONField.parse(jsonData))
    }

    public init(json: JSONField) throws {
        mediaType = try json.required("mediaType").string()
        version = try Self.version(of: mediaType, path: json.child("mediaType"))
        let material = try json.required("verificationMaterial")
        signingMaterial = try Self.signingMaterial(material, version: version)
        tlogEntries = try (try material.optional("tlogEntries")?.array() ?? []).map(TransparencyLogEntry.init(json:))
        rfc3161Timestamps = try (try material.optional("timestampVerificationData")?.optional("rfc3161Timestamps")?.array() ?? [])
            .map { try $0.required("signedTimestamp").base64() }
        let dsse = try json.optional("dsseEnvelope"), message = try json.optional("messageSignature")
        switch (dsse, message) {
        case (let dsse?, nil): content = .dsseEnvelope(try DSSEEnvelope(json: dsse))
        case (nil, let message?): content = .messageSignature(try MessageSignature(json: message))
        default: throw SigstoreModelError(path: json.path, "expected exactly one of dsseEnvelope or messageSignature")
        }
        try validateLogEntries(path: material.child("tlogEntries"))
    }

    // MARK: - Shape rules

    /// The Sigstore bundle media types (protobuf-specs `sigstore_bundle.proto`), each with its version.
    public static let mediaTypes: [(mediaType: String, version: Version)] = [
        ("application/vnd.dev.sigstore.bundle+json;version=0.1", .v0_1),
        ("application/vnd.dev.sigstore.bundle+json;version=0.2", .v0_2),
        ("application/vnd.dev.sigstore.bundle+json;version=0.3", .v0_3),
        ("application/vnd.dev.sigstore.bundle.v0.3+json", .v0_3),
    ]

    /// The version of an exactly known media type, compared byte for byte (Swift `==` would
    /// also accept canonically equivalent text, e.g. U+037E GREEK QUESTION MARK for ";").
    static func version(of mediaType: String, path: String) throws -> Version {
        guard let known = mediaTypes.first(where: { $0.mediaType.utf8.elementsEqual(mediaType.utf8) }) else {
            throw SigstoreModelError(path: path, "expected one of the bundle media types \(mediaTypes.map(\.mediaType).joined(separator: ", ")), found \"\(mediaType.prefix(80))\"")
        }
        return known.version
    }

    static func signingMaterial(_ material: JSONField, version: Version) throws -> SigningMaterial {
        let chain = try material.optional("x509CertificateChain")
        let single = try material.optional("certificate")
        let key = try material.optional("publicKey")
        switch (chain, single, key) {
        case (let chain?, nil, nil):
            guard version < .v0_3 else { throw SigstoreModelError(path: chain.path, "v0.3 bundles must use certificate, not x509CertificateChain") }
            let certs = try (try chain.optional("certificates")?.array() ?? []).map { try $0.required("rawBytes").base64() }
            guard !certs.isEmpty, !certs[0].isEmpty else { throw SigstoreModelError(path: chain.path, "expected at least one certificate") }
            return .certificateChain(certs)
        case (nil, let single?, nil):
            let der = try single.required("rawBytes").base64()
            guard !der.isEmpty else { throw SigstoreModelError(path: single.path, "expected a non-empty certificate") }
            return .certificate(der)
        case (nil, nil, let key?):
            return .publicKey(hint: try key.optional("hint")?.string() ?? "")
        default:
            throw SigstoreModelError(path: material.path, "expected exactly one of x509CertificateChain, certificate or publicKey")
        }
    }


    func validateLogEntries(path: String) throws {
        for (index, entry) in tlogEntries.enumerated() {
            let here = "\(path)[\(index)]"
            switch version {
            case .v0_1:
                guard entry.signedEntryTimestamp != nil else { throw SigstoreModelError(path: here, "v0.1 bundles require an inclusionPromise") }
            case .v0_2, .v0_3:
                guard entry.inclusionProof?.checkpoint != nil else {
                    throw SigstoreModelError(path: here, "v\(version.rawValue) bundles require an inclusionProof with a checkpoint")
                }
            }
        }
    }
}
