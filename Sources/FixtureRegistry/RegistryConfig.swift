public import Foundation

/// The fixture registry's access configuration (`Registry/config.json`): users,
/// who may publish which package or scope, and fixed tokens.
///
/// **Test-only.** Passwords and fixed tokens in this file are published in the
/// repository; they exist so that tests and demos can log in and publish
/// without a setup step, and must never protect anything real.
///
/// ```json
/// { "users": { "alice": { "password": "…", "email": "alice@example.test" } },
///   "publishers": { "@mochi": ["alice"], "left-pad": ["bob"] },
///   "tokens": [ { "user": "alice", "token": "npm_…", "package": "@mochi" } ],
///   "trustedPublishers": { "@mochi/example": { "repository": "mochi-lang/mochi",
///                          "workflow": "mochi-publish-npm.yml", "user": "alice" } } }
/// ```
public struct RegistryConfig: Sendable, Codable, Equatable {
    /// One configured user.
    public struct User: Sendable, Codable, Equatable {
        /// The legacy-login password (test-only, kept in clear in the config file).
        public var password: String?
        public var email: String?
        public init(password: String? = nil, email: String? = nil) {
            self.password = password
            self.email = email
        }
    }

    /// A token accepted as is (test-only).
    public struct FixedToken: Sendable, Codable, Equatable {
        public var user: String
        public var token: String
        /// A package name or `@scope` the token is limited to.
        public var package: String?
        public init(user: String, token: String, package: String? = nil) {
            self.user = user
            self.token = token
            self.package = package
        }
    }

    public var users: [String: User]
    /// Package name or `@scope` → the users who may publish it. Packages not listed
    /// here may be published by any user for a first version, then by their maintainers.
    public var publishers: [String: [String]]
    public var tokens: [FixedToken]
    /// Package name → the GitHub workflow allowed to publish it through the OIDC exchange.
    public var trustedPublishers: [String: TrustedPublisher]

    public init(users: [String: User] = [:], publishers: [String: [String]] = [:], tokens: [FixedToken] = [],
                trustedPublishers: [String: TrustedPublisher] = [:]) {
        self.users = users
        self.publishers = publishers
        self.tokens = tokens
        self.trustedPublishers = trustedPublishers
    }

    private enum CodingKeys: String, CodingKey { case users, publishers, tokens, trustedPublishers }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        users = try container.decodeIfPresent([String: User].self, forKey: .users) ?? [:]
        publishers = try container.decodeIfPresent([String: [String]].self, forKey: .publishers) ?? [:]
        tokens = try container.decodeIfPresent([FixedToken].self, forKey: .tokens) ?? []
        trustedPublishers = try container.decodeIfPresent([String: TrustedPublisher].self, forKey: .trustedPublishers) ?? [:]
    }

    /// The users listed for `name` (by exact name, else by its `@scope`), or nil when neither is listed.
    func publishers(of name: PackageName) -> [String]? {
        // Scopes compare as npm compares them, case aside: `@Mochi` is `@mochi`'s.
        publishers[name.description] ?? name.scope.flatMap { scope in
            publishers.first { $0.key.lowercased() == "@\(scope)".lowercased() }?.value
        }
    }

    // MARK: - Loading

    /// Reads a config file; a missing file is an empty config.
    public static func load(from url: URL) throws(RegistryError) -> RegistryConfig {
        guard let data = try AtomicFile.read(url, limit: RegistryLimits.maxMetadataBodyBytes) else { return RegistryConfig() }
        do {
            return try JSONDecoder().decode(RegistryConfig.self, from: data)
        } catch {
            throw .storage(path: url.path, reason: "not a registry config: \(error)")
        }
    }
}
