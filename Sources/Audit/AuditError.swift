public import CodedError

/// Why an audit could not run at all (as opposed to a package failing verification).
public typealias AuditError = CodedFailure<AuditErrorDomain>

/// The domain of ``AuditError``: its codes are the static members below.
public enum AuditErrorDomain: ErrorDomain {}

extension CodedFailure where Domain == AuditErrorDomain {
    /// npm's message when the tree has no dependency edges.
    public static var nothingInstalledMessage: String { "found no installed dependencies to audit" }
    /// npm's message when no audited package's registry publishes keys.
    public static var noSupportedRegistryMessage: String { "found no dependencies to audit that were installed from a supported registry" }
}

extension ErrorCode where Domain == AuditErrorDomain {
    /// `node_modules` or `package.json` could not be read.
    public static let unreadableTree = Self("unreadable-tree")
    /// No installed dependency at all (npm: "found no installed dependencies to audit").
    public static let nothingInstalled = Self("nothing-installed")
    /// No dependency came from a registry that publishes keys (npm's wording, same condition).
    public static let noSupportedRegistry = Self("no-supported-registry")
}
