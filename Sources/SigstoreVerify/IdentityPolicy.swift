import CodedError

/// Who must have signed a certificate-signed bundle: SAN, OIDC issuer and Fulcio extensions.
///
/// Policy only: it reads a `FulcioIdentity` that the verifier extracted from a verified leaf.
/// Values are compared as bytes, never as Unicode-equivalent text.
public struct IdentityPolicy: Sendable {
    /// How to match the subject alternative name.
    public enum Match: Sendable {
        case exact(String)
        /// A regular expression that must match the whole value.
        case regex(String)

        func matches(_ value: String) throws -> Bool {
            switch self {
            case .exact(let expected): return IdentityPolicy.same(value, expected)
            case .regex(let pattern):
                let regex: Regex<AnyRegexOutput>
                do { regex = try Regex(pattern) } catch {
                    throw VerificationError(.identityPolicy, "invalid identity regular expression \"\(pattern)\": \(error)")
                }
                // Scalar semantics: by Characters, a Kelvin sign would match `K` (canonical equivalence).
                return value.wholeMatch(of: regex.matchingSemantics(.unicodeScalar)) != nil
            }
        }
    }

    public var subjectAlternativeName: Match?
    public var issuer: String?
    /// Exact values required for Fulcio extensions (source repository, ref, build signer, ...).
    public var extensions: [FulcioIdentity.Field: String]

    public init(subjectAlternativeName: Match? = nil, issuer: String? = nil, extensions: [FulcioIdentity.Field: String] = [:]) {
        self.subjectAlternativeName = subjectAlternativeName
        self.issuer = issuer
        self.extensions = extensions
    }

    /// Throws `.identityPolicy` naming the first field that differs.
    public func verify(_ identity: FulcioIdentity) throws {
        if let expected = subjectAlternativeName {
            guard let san = identity.subjectAlternativeName, try expected.matches(san) else {
                throw VerificationError(.identityPolicy, "expected certificate identity \(expected), found \(identity.subjectAlternativeName ?? "none")")
            }
        }
        if let issuer, !Self.same(identity.issuer, issuer) {
            throw VerificationError(.identityPolicy, "expected OIDC issuer \(issuer), found \(identity.issuer ?? "none")")
        }
        for (field, value) in extensions.sorted(by: { $0.key.rawValue < $1.key.rawValue })
        where !Self.same(identity[field], value) {
            throw VerificationError(.identityPolicy, "expected \(field) \(value), found \(identity[field] ?? "none")")
        }
    }

    /// `CheckpointCheck.same` (byte equality); a missing value equals nothing.
    static func same(_ value: String?, _ expected: String) -> Bool { value.map { CheckpointCheck.same($0, expected) } ?? false }
}
