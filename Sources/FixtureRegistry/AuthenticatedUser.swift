/// Who a request's bearer token speaks for, and what it is limited to.
public struct AuthenticatedUser: Sendable, Hashable {
    /// The user name (`npm whoami` prints it).
    public let name: String
    /// A package name or `@scope` the token is limited to, or nil for every package.
    public let restriction: String?
    /// A token from the trusted-publishing exchange: npm limits OIDC to publishing new versions,
    /// so it may not move dist-tags, deprecate or unpublish (found by review: it could).
    public let publishOnly: Bool

    public init(name: String, restriction: String? = nil, publishOnly: Bool = false) {
        self.name = name
        self.restriction = restriction
        self.publishOnly = publishOnly
    }

    /// Whether the token's restriction covers `package`.
    public func covers(_ package: PackageName) -> Bool {
        guard let restriction else { return true }
        if restriction.hasPrefix("@"), !restriction.contains("/") { return package.scope.map { "@\($0)" } == restriction }
        return package.description == restriction
    }
}
