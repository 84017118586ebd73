/// A package whose registry publishes keys but whose version carries no `dist.signatures`
/// (npm's `missing` entry; fields in npm's JSON order).
public struct MissingSignature: Sendable, Equatable {
    public let integrity: String?
    public let location: String
    public let name: String
    public let registry: String
    public let resolved: String?
    public let version: String
}

/// A package that failed verification (npm's `invalid` entry; fields in npm's JSON order).
///
/// npm collects only `EINTEGRITYSIGNATURE` and `EATTESTATIONVERIFY` here and aborts the whole
/// run on every other error; this audit records those too, with their code, and goes on.
public struct InvalidPackage: Sendable, Equatable {
    public let code: String
    public let message: String
    public var integrity: String?
    public var keyid: String?
    public let location: String
    public let name: String
    public let registry: String
    public var resolved: String?
    public var signature: String?
    public var predicateType: String?
    public let type: String
    public let version: String
    /// Failed only because the registry could not be reached (``FetchFailure/unreachable``).
    public var unreachable = false

    public init(code: String, message: String, target: AuditTarget) {
        self.code = code
        self.message = message
        location = target.location
        name = target.name
        registry = target.registry
        type = target.type.rawValue
        version = target.version
    }

    /// Codes npm itself reports as invalid (every other code aborts `npm audit signatures`).
    public static let npmInvalidCodes: Set<String> = [invalidSignatureCode, invalidAttestationCode]
    public static let invalidSignatureCode = "EINTEGRITYSIGNATURE"
    public static let invalidAttestationCode = "EATTESTATIONVERIFY"
    /// Codes that mean the registry's data contradicts itself or its keys (npm's "tampered"), as
    /// opposed to data we could not get (HTTP errors, no trusted root) or a policy refusal.
    public static let tamperCodes: Set<String> = [invalidSignatureCode, invalidAttestationCode, "EMISSINGSIGNATUREKEY",
                                                  "EEXPIREDSIGNATUREKEY", "EATTESTATIONSUBJECT", "EINTEGRITY", "EBADATTESTATIONS",
                                                  missingAdvertisedCode]
    /// Our code for a response that lacks the attestation the packument advertises
    /// (`dist.attestations.provenance`): a mirror stripped "who built it".
    public static let missingAdvertisedCode = "EATTESTATIONMISSING"
    /// Our code for a verified provenance that the `--policy` refuses.
    public static let policyCode = "EPROVENANCEPOLICY"
}

/// What the audit concluded about one package.
public struct PackageAudit: Sendable {
    public let target: AuditTarget
    /// The registry publishes keys (npm counts only these as audited).
    public var registryHasKeys = false
    /// Every `dist.signatures` entry verified (and there was at least one).
    public var signaturesVerified = false
    /// Every attestation verified.
    public var attestationsVerified = false
    public var missing: MissingSignature?
    public var invalid: InvalidPackage?
    /// Who built it, from the verified provenance attestation.
    public var provenance: BuildProvenance?

    public init(target: AuditTarget) {
        self.target = target
    }

    /// Counted in "audited N packages": the registry has keys, or the package is reported invalid.
    public var isAudited: Bool { registryHasKeys || invalid != nil }
}
