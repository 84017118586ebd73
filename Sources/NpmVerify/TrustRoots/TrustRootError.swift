/// Why a trusted root or registry keys document could not be resolved.
public struct TrustRootError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What failed; extensible.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// An explicit `--trusted-root FILE` (or keys file) cannot be read.
        public static let unreadableFile = Code(rawValue: "unreadable-file")
        /// The TUF repository has no such target.
        public static let notFound = Code(rawValue: "not-found")
        /// The TUF update failed: a signature, version, expiry, hash or length rule, or the network.
        public static let tuf = Code(rawValue: "tuf")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "trust root (\(code)): \(message)" }
}
