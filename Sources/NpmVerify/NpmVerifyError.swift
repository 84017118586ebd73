/// A failed npm rule, with pacote's error code where pacote has one.
public struct NpmVerifyError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The rule that failed; extensible.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// No registry key has the signature's key id (pacote `EMISSINGSIGNATUREKEY`).
        public static let missingSignatureKey = Code(rawValue: "EMISSINGSIGNATUREKEY")
        /// The key expired before the version was published (`EEXPIREDSIGNATUREKEY`).
        public static let expiredSignatureKey = Code(rawValue: "EEXPIREDSIGNATUREKEY")
        /// The registry signature does not verify (`EINTEGRITYSIGNATURE`).
        public static let invalidSignature = Code(rawValue: "EINTEGRITYSIGNATURE")
        /// The registry publishes keys but the version carries no signature.
        public static let missingSignature = Code(rawValue: "missing-signature")
        /// The statement subject is not the package purl and tarball digest (`EATTESTATIONSUBJECT`).
        public static let attestationSubject = Code(rawValue: "EATTESTATIONSUBJECT")
        /// The response's unsigned `predicateType` differs from the signed statement's.
        public static let predicateTypeMismatch = Code(rawValue: "EATTESTATIONPREDICATE")
        /// The keys document is malformed.
        public static let malformedKeys = Code(rawValue: "malformed-keys")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
