public import LockfileFormats
public import NpmVerify

/// Why a package failed, with a stable rule id (SARIF `ruleId`, JSON `code`).
public enum FailureCode: String, Sendable, CaseIterable, Codable {
    case integrityMismatch = "integrity-mismatch"
    case integrityRefused = "integrity-refused"
    case integrityMissing = "integrity-missing"
    case versionNotFound = "version-not-found"
    case signatureMissing = "signature-missing"
    case signatureInvalid = "signature-invalid"
    case registryWithoutKeys = "registry-without-keys"
    case registryKeysUntrusted = "registry-keys-untrusted"
    case attestationInvalid = "attestation-invalid"
    case provenanceMissing = "provenance-missing"
    case policyViolation = "policy-violation"
    case provenanceDowngrade = "provenance-downgrade"
    case tarballMismatch = "tarball-mismatch"
    case resolvedElsewhere = "resolved-elsewhere"
    case aliasUnconfirmed = "alias-unconfirmed"
    case sourceUnconfirmed = "source-unconfirmed"
    case dependenciesDiffer = "dependencies-differ"
    case binsDiffer = "bins-differ"
    case exceptionExpired = "exception-expired"
    case registryError = "registry-error"
    case trustedRootMissing = "trusted-root-missing"

    /// What a policy exception may excuse: something missing, never something wrong.
    var excusable: Bool {
        [.signatureMissing, .registryWithoutKeys, .registryKeysUntrusted, .provenanceMissing, .policyViolation, .provenanceDowngrade].contains(self)
    }

    /// One line for SARIF rule descriptions.
    public var summary: String {
        switch self {
        case .integrityMismatch: "The lockfile's integrity differs from the registry's for that version"
        case .integrityRefused: "An integrity string is malformed or holds two digests of one algorithm"
        case .integrityMissing: "The lockfile records no integrity for a registry package"
        case .versionNotFound: "The registry has no such package version"
        case .signatureMissing: "The registry publishes keys but the version has no registry signature"
        case .signatureInvalid: "The registry signature does not verify"
        case .registryWithoutKeys: "The registry publishes no signing keys and signatures are required"
        case .registryKeysUntrusted: "Signatures are required, but only the registry itself vouches for its keys"
        case .attestationInvalid: "An attestation does not verify"
        case .provenanceMissing: "The package has no verified provenance and provenance is required"
        case .policyViolation: "The provenance does not meet the policy"
        case .provenanceDowngrade: "A version without provenance follows one with provenance"
        case .tarballMismatch: "The downloaded tarball does not match the registry's integrity"
        case .resolvedElsewhere: "The lockfile's resolved URL is not where the registry serves the version"
        case .aliasUnconfirmed: "The lockfile says a package asks for an npm alias that its registry manifest does not declare"
        case .sourceUnconfirmed: "The lockfile links a registry package's dependency to git, a tarball or a folder its registry manifest does not ask for"
        case .dependenciesDiffer: "The lockfile's dependencies of a package differ from its registry manifest's"
        case .binsDiffer: "The lockfile links bins of a package that its registry manifest does not declare"
        case .exceptionExpired: "A policy exception covering the package has expired"
        case .registryError: "The registry could not be asked"
        case .trustedRootMissing: "The package advertises attestations but no Sigstore trusted root is configured"
        }
    }
}

/// One failure of one package.
public struct Failure: Sendable, Equatable {
    public let code: FailureCode
    public let message: String

    public init(_ code: FailureCode, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// Whether the registry signature was checked.
public enum SignatureState: String, Sendable, Codable {
    case verified, unsigned, registryHasNoKeys = "registry-has-no-keys", notChecked = "not-checked"
}

/// Everything learned about one lockfile entry.
public struct PackageResult: Sendable {
    public enum Status: String, Sendable, Codable { case verified, failed, notVerifiable = "not-verifiable", excepted }

    public let package: LockedPackage
    public var failures: [Failure] = []
    /// Failures a policy exception excused.
    public var excused: [Failure] = []
    /// The exception that covered the package (not expired).
    public var exception: PolicyException?
    public var notes: [String] = []
    public var signature: SignatureState = .notChecked
    /// The registry the package was verified against, when the npm configuration routes it away
    /// from the default registry (a scope's `@scope:registry`): its keys are that registry's own.
    public var otherRegistry: String?
    /// Where the keys its registry signature verified under came from (pinned, a TUF target, the registry itself).
    public var keySource: String?
    public var attestations = 0
    public var provenance: ProvenanceIdentity?
    /// Set when the registry says this version's tarball brings the entries below it (it bundles
    /// dependencies, or has its own npm-shrinkwrap.json): why.
    public var ownTree: String?

    public init(package: LockedPackage) {
        self.package = package
    }

    public var status: Status {
        // A failure outranks "not verifiable": a lockfile link the registry manifest denies is one.
        if !failures.isEmpty { return .failed }
        if case .notVerifiable = package.kind { return .notVerifiable }
        return exception == nil ? .verified : .excepted
    }

    /// Only registry or network failures (exit 3 rather than 1).
    var onlyRegistryErrors: Bool { !failures.isEmpty && failures.allSatisfy { $0.code == .registryError } }
    /// Failed only for want of configuration (a trusted root): a usage error, as install says.
    var onlyMissingConfiguration: Bool { !failures.isEmpty && failures.allSatisfy { $0.code == .trustedRootMissing } }
}
