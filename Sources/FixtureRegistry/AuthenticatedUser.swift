/// Who a request's bearer token speaks for, and what it is limited to.
public struct AuthenticatedUser: Sendable, Hashable {
    /// The user name (`npm whoami` prints it).
    public let name: String
    /// A package name or `@scope` the token is limited to, or nil for every package.
    public let restriction: String?

    public init(name: String, restriction: String? = nil) {
        self.name = name
        self.restriction = restriction
    }

    /// Whether the token's restriction covers `package`.
    public func covers(_ package: PackageName) -> Bool {
        guard let restriction else { return true }
        if restriction.hasPrefix("@"), !restriction.contains("/") { return package.scope.map { "@\($0)" } == restriction }
        return package.description == restriction
    }
}
