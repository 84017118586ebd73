public import FoundationEssentials

/// An inclusive time range; a missing bound is unbounded.
public struct TimeRange: Sendable, Equatable {
    public let start: Date?
    public let end: Date?

    public init(start: Date?, end: Date?) {
        self.start = start
        self.end = end
    }

    public func contains(_ date: Date) -> Bool {
        (start.map { $0 <= date } ?? true) && (end.map { date <= $0 } ?? true)
    }
}

/// A transparency log (Rekor) or CT log of the trusted root.
public struct TransparencyLogInstance: Sendable, Equatable {
    public let baseURL: String
    /// DER public key bytes (SPKI, or PKCS#1 for `PKCS1_RSA_*` key details).
    public let publicKey: [UInt8]
    public let keyDetails: String
    public let validFor: TimeRange
    /// The log id as given (matched, never recomputed).
    public let logID: [UInt8]

    init(json: JSONField) throws {
        baseURL = try json.optional("baseUrl")?.string() ?? ""
        let key = try json.required("publicKey")
        publicKey = try key.required("rawBytes").base64()
        keyDetails = try key.optional("keyDetails")?.string() ?? ""
        let validity = try key.required("validFor")
        validFor = TimeRange(start: try validity.required("start").date(), end: try validity.optional("end")?.date())
        logID = try json.required("logId").required("keyId").base64()
    }
}

/// A certificate authority (Fulcio) or timestamp authority of the trusted root.
public struct CertificateAuthority: Sendable, Equatable {
    public let uri: String
    /// DER certificates, leafward first; the last one is the trust anchor.
    public let certChain: [[UInt8]]
    public let validFor: TimeRange

    init(json: JSONField) throws {
        uri = try json.optional("uri")?.string() ?? ""
        let certs = try json.required("certChain").required("certificates")
        certChain = try certs.array().map { try $0.required("rawBytes").base64() }
        guard !certChain.isEmpty else { throw SigstoreModelError(path: certs.path, "expected at least one certificate") }
        if let validity = try json.optional("validFor") {
            validFor = TimeRange(start: try validity.optional("start")?.date(), end: try validity.optional("end")?.date())
        } else {
            validFor = TimeRange(start: nil, end: nil)
        }
    }
}

/// `trusted_root.json`: the logs and authorities a verifier trusts (PROTOCOLS §7).
public struct TrustedRoot: Sendable {
    public let mediaType: String
    public let tlogs: [TransparencyLogInstance]
    public let certificateAuthorities: [CertificateAuthority]
    public let ctlogs: [TransparencyLogInstance]
    public let timestampAuthorities: [CertificateAuthority]

    public init(jsonData: Data) throws {
        let json = try JSONField.parse(jsonData)
        mediaType = try json.optional("mediaType")?.string() ?? ""
        tlogs = try (try json.optional("tlogs")?.array() ?? []).map(TransparencyLogInstance.init(json:))
        certificateAuthorities = try (try json.optional("certificateAuthorities")?.array() ?? []).map(CertificateAuthority.init(json:))
        ctlogs = try (try json.optional("ctlogs")?.array() ?? []).map(TransparencyLogInstance.init(json:))
        timestampAuthorities = try (try json.optional("timestampAuthorities")?.array() ?? []).map(CertificateAuthority.init(json:))
    }
}
