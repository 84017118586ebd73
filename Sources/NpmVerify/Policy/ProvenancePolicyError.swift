/// A policy that cannot be read, or a package that breaks the policy.
public struct ProvenancePolicyError: Error, CustomStringConvertible, Sendable, Equatable {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The policy file is not valid JSON, has an unknown key, or a value of the wrong type.
        public static let malformedPolicy = Code(rawValue: "malformed-policy")
        /// The policy requires provenance and the package has none.
        public static let missingProvenance = Code(rawValue: "missing-provenance")
        /// A provenance field differs from what the policy pins.
        public static let provenanceMismatch = Code(rawValue: "provenance-mismatch")
        /// A later version lacks provenance that an earlier version had.
        public static let provenanceDowngrade = Code(rawValue: "provenance-downgrade")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
