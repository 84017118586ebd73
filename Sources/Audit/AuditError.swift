/// Why an audit could not run at all (as opposed to a package failing verification).
public struct AuditError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What failed; extensible.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// `node_modules` or `package.json` could not be read.
        public static let unreadableTree = Code(rawValue: "unreadable-tree")
        /// No installed dependency at all (npm: "found no installed dependencies to audit").
        public static let nothingInstalled = Code(rawValue: "nothing-installed")
        /// No dependency came from a registry that publishes keys (npm's wording, same condition).
        public static let noSupportedRegistry = Code(rawValue: "no-supported-registry")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// npm's message when the tree has no dependency edges.
    public static let nothingInstalledMessage = "found no installed dependencies to audit"
    /// npm's message when no audited package's registry publishes keys.
    public static let noSupportedRegistryMessage = "found no dependencies to audit that were installed from a supported registry"
}
