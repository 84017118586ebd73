import SafeJSON
import FoundationEssentials
public import NpmModel

/// Which registry serves which package, and the tokens to send, as npm reads them
/// from `--registry` and `.npmrc` (`registry=`, `@scope:registry=`, `//host/path/:_authToken=`).
public struct RegistryConfiguration: Sendable, Equatable {
    /// The default registry, always with a trailing slash.
    public var registry: String
    /// `@scope` → registry URL (trailing slash).
    public var scopeRegistries: [String: String]
    /// Nerf-darted prefix (`//host:port/path/`) → bearer token.
    public var authTokens: [String: String]
    /// Every https registry a configuration file named, including ones another file overrode: a
    /// project `.npmrc` saying http for the user's https registry must not send its token in the
    /// clear (found by review).
    public var secureRegistries: [String]
    /// npm's `scope` setting (`@corp`): a package whose own scope has no registry goes to this
    /// scope's registry, as npm-registry-fetch's `pickRegistry` sends it (found by review).
    public var defaultScope: String?
    /// What `install` writes before a version it saves: npm's `save-prefix` (`^` unless set), or
    /// nothing under `save-exact` (found by review: `save-exact=true` was ignored).
    public var savePrefix: String
    /// Which packages an install places, and for which platform (`omit`, `include`, `os`, …).
    public var installScope = InstallScope()
    /// Nerf-darted prefix → Basic credentials (`:_auth`, or `:username` with `:_password`) or a
    /// client certificate (`:certfile` with `:keyfile`), for prefixes with no bearer token.
    public var otherCredentials: [String: RegistryCredential] = [:]
    /// The proxy each request goes through, as npm chooses it; none by default.
    public var proxies = ProxySettings()

    public init(registry: String, scopeRegistries: [String: String] = [:], authTokens: [String: String] = [:],
                secureRegistries: [String] = [], defaultScope: String? = nil, savePrefix: String = "^") {
        self.savePrefix = savePrefix
        self.registry = RegistryConfiguration.withTrailingSlash(registry)
        self.scopeRegistries = scopeRegistries.mapValues(RegistryConfiguration.withTrailingSlash)
        self.authTokens = authTokens
        self.secureRegistries = secureRegistries.map(RegistryConfiguration.withTrailingSlash)
        self.defaultScope = defaultScope.flatMap { $0.isEmpty ? nil : $0.hasBytePrefix("@") ? $0 : "@" + $0 }
    }

    /// The registry base URL for `name`: its scope's registry if one is configured, else the
    /// `scope` setting's, else the default registry.
    public func registry(for name: PackageName) -> String {
        if let scope = name.scope, let url = scopeRegistries[scope] { return url }
        if let scope = defaultScope, let url = scopeRegistries[scope] { return url }
        return registry
    }

    /// The packument URL: registry base (with its path prefix) + escaped name.
    public func packumentURL(for name: PackageName) -> String {
        registry(for: name) + name.escapedForRegistry
    }

    /// The bearer token for `url`, matched as npm-registry-fetch's `regKeyFromURI` does: the URL's
    /// `//host[:port]/path` is walked up one path segment (then its slash) at a time and the first
    /// configured nerf-dart equal to it wins. Whole host, port and path segments only: a token for
    /// `//r.example/npm/` never goes to `//r.example/npmevil/`, `//r.example.evil.org/` or `//r.example:8443/`.
    public func token(for url: String) -> String? {
        guard case .bearer(let token)? = credential(for: url) else { return nil }
        return token
    }

    /// The credential for `url`, found as `token(for:)` finds a token: the nearest configured
    /// prefix with any credential (npm-registry-fetch's `hasAuth`), withheld in the clear unless
    /// the user configured that registry as plain http.
    public func credential(for url: String) -> RegistryCredential? {
        // No credential configured (the common case): nothing to match, so the URL is not parsed.
        guard !authTokens.isEmpty || !otherCredentials.isEmpty, var key = RegistryConfiguration.nerfDart(url) else { return nil }
        // Hosts are matched in lower case; where two keys differ only by the host's case, the one
        // written in lower case wins, as npm matches only that one (found by review: which one
        // was sent depended on dictionary order).
        var all: [String: (credential: RegistryCredential, exact: Bool)] = [:]
        // A token comes before another credential of the same key, as npm's getAuth takes it first.
        let configured = authTokens.map { ($0.key, 0, RegistryCredential.bearer($0.value)) } + otherCredentials.map { ($0.key, 1, $0.value) }
        for (dart, _, credential) in configured.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) {
            let key = RegistryConfiguration.normalisedDart(dart), exact = key == dart
            if let existing = all[key], existing.exact || !exact { continue }
            all[key] = (credential, exact)
        }
        while key.count > 2 {
            if let found = all[key]?.credential { return Self.sendsInTheClear(url) && !plainHTTPRegistry(coveredBy: key) ? nil : found }
            if key.hasByteSuffix("/") { key = key.droppingByteSuffix("/") } else if let slash = key.lastIndex(of: "/") { key = String(key[...slash]) }
        }
        return nil
    }

    static func sendsInTheClear(_ url: String) -> Bool { url.prefix(7).lowercased() == "http://" }

    /// npm's built-in `registry`.
    static let npmDefaultRegistry = "https://registry.npmjs.org/"

    /// Whether the token configured at `dart` may travel in the clear: it must sit with a registry
    /// the user configured as plain http, and with none configured as https anywhere (nerf-darts
    /// drop the scheme, so a packument's `dist.tarball` or a lockfile's `resolved` saying http must
    /// not carry an https registry's token).
    private func plainHTTPRegistry(coveredBy dart: String) -> Bool {
        // npm's default registry is https whatever a file says (found by review: a project's
        // `registry=http://registry.npmjs.org/` sent the user's token in the clear).
        let related = ([registry] + Array(scopeRegistries.values) + secureRegistries + [Self.npmDefaultRegistry]).filter { configured in
            guard let registryDart = Self.nerfDart(configured) else { return false }
            return Self.covers(dart, registryDart) || Self.covers(registryDart, dart)
        }
        return !related.isEmpty && related.allSatisfy(Self.sendsInTheClear)
    }

    /// Whether nerf-dart `prefix` is `dart` or one of its whole-segment ancestors.
    static func covers(_ prefix: String, _ dart: String) -> Bool {
        dart == prefix || dart.hasBytePrefix(prefix.hasByteSuffix("/") ? prefix : prefix + "/")
    }

    /// `https://Host:443/path/x?q` → `//host/path/x` (npm's nerf-dart of a request URL: lower-case
    /// host, default port dropped, no query). Nil for non-HTTP URLs and for paths with `.`/`..` segments
    /// (curl would squash them, so the path sent is not the path matched), and for URLs with bytes outside ASCII.
    public static func nerfDart(_ url: String) -> String? {
        // A URL with bytes outside ASCII gets no token: hosts and delimiters are then matters of
        // IDNA and Unicode that npm, curl and we need not agree on.
        guard !url.utf8.contains(where: { $0 >= 0x80 }) else { return nil }
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(), scheme == "http" || scheme == "https",
              var host = URLHost.of(url, parsed: parts)?.lowercased(), !host.isEmpty else { return nil }
        if host.contains(":"), !host.hasBytePrefix("[") { host = "[\(host)]" }
        let defaultPort = scheme == "https" ? 443 : 80
        let port = parts.port.map { $0 == defaultPort ? "" : ":\($0)" } ?? ""
        let path = parts.percentEncodedPath.isEmpty ? "/" : parts.percentEncodedPath
        let dotSegments: Set<String> = [".", "..", "%2e", "%2e%2e", ".%2e", "%2e."]
        guard path.hasBytePrefix("/"), !path.split(separator: "/").contains(where: { dotSegments.contains($0.lowercased()) }) else { return nil }
        return "//" + host + port + path
    }

    /// A configured nerf-dart with its host lower-cased (`//Host:8080/p/` → `//host:8080/p/`).
    static func normalisedDart(_ dart: String) -> String {
        guard dart.hasBytePrefix("//") else { return dart }
        let rest = dart.dropFirst(2)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        return "//" + rest[..<slash].lowercased() + rest[slash...]
    }

    static func withTrailingSlash(_ url: String) -> String {
        url.hasByteSuffix("/") ? url : url + "/"
    }
}
