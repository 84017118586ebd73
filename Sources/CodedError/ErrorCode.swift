/// An extensible error code: a string, tagged with the error type it belongs to so codes of two
/// modules never mix. New codes are static members added in a constrained extension, e.g.
/// `extension ErrorCode where Domain == AuditError { public static let unreadableTree = Self("unreadable-tree") }`,
/// so switches over codes need a `default`.
public struct ErrorCode<Domain>: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The code's stable name, e.g. `"not-found"`.
    public let rawValue: String

    /// Creates a code from its name.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Creates a code from its name.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// The name.
    public var description: String { rawValue }
}
