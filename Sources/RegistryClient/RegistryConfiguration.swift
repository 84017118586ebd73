import Foundation
import NpmModel

/// Which registry serves which package, and the tokens to send, as npm reads them
/// from `--registry` and `.npmrc` (`registry=`, `@scope:registry=`, `//host/path/:_authToken=`).
public struct RegistryConfiguration: Sendable, Equatable {
    /// The default registry, always with a trailing slash.
    public var registry: String
    /// `@scope` → registry URL (trailing slash).
    public var scopeRegistries: [String: String]
    /// Nerf-darted prefix (`//host:port/path/`) → bearer token.
    public var authTokens: [String: String]

    public init(registry: String, scopeRegistries: [String: String] = [:], authTokens: [String: String] = [:]) {
        self.registry = RegistryConfiguration.withTrailingSlash(registry)
        self.scopeRegistries = scopeRegistries.mapValues(RegistryConfiguration.withTrailingSlash)
        self.authTokens = authTokens
    }

    /// The registry base URL for `name` (its scope's registry if one is configured).
    public func registry(for name: PackageName) -> String {
        if let scope = name.scope, let url = scopeRegistries[scope] { return url }
        return registry
    }

    /// The packument URL: registry base (with its path prefix) + escaped name.
    public func packumentURL(for name: PackageName) -> String {
        registry(for: name) + name.escapedForRegistry
    }

    /// The bearer token whose nerf-dart is the longest prefix of `url`, as npm matches them.
    public func token(for url: String) -> String? {
        guard let dart = RegistryConfiguration.nerfDart(url) else { return nil }
        return authTokens.filter { dart.hasPrefix($0.key) }.max { $0.key.count < $1.key.count }?.value
    }

    /// `http://host:port/path/x` → `//host:port/path/x` (npm's "nerf dart").
    public static func nerfDart(_ url: String) -> String? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        return "//" + url[schemeEnd.upperBound...]
    }

    static func withTrailingSlash(_ url: String) -> String {
        url.hasSuffix("/") ? url : url + "/"
    }
}

// MARK: - .npmrc

extension RegistryConfiguration {
    /// Reads the user's then the project's `.npmrc` (project wins), expanding `${VAR}`.
    /// `registryOverride` (from `--registry`) beats both; `fallback` is used when nothing names a registry.
    public static func load(projectDirectory: URL, homeDirectory: URL?, registryOverride: String?,
                            fallback: String?, environment: [String: String]) throws -> RegistryConfiguration? {
        var settings: [String: String] = [:]
        for directory in [homeDirectory, projectDirectory].compactMap({ $0 }) {
            let file = directory.appendingPathComponent(".npmrc")
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            for (key, value) in parseNpmrc(text, environment: environment) { settings[key] = value }
        }
        guard let registry = registryOverride ?? settings["registry"] ?? fallback else { return nil }
        var scopes: [String: String] = [:]
        var tokens: [String: String] = [:]
        for (key, value) in settings {
            if key.hasPrefix("@"), key.hasSuffix(":registry") {
                scopes[String(key.dropLast(":registry".count))] = value
            } else if key.hasPrefix("//"), key.hasSuffix(":_authToken") {
                tokens[String(key.dropLast(":_authToken".count))] = value
            }
        }
        return RegistryConfiguration(registry: registry, scopeRegistries: scopes, authTokens: tokens)
    }

    /// `key=value` lines; `;` and `#` comments; `${VAR}` from the environment.
    static func parseNpmrc(_ text: String, environment: [String: String]) -> [(String, String)] {
        text.split(whereSeparator: \.isNewline).compactMap { rawLine in
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix(";"), !line.hasPrefix("#"), let eq = line.firstIndex(of: "=") else { return nil }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            return (key, expand(value, environment: environment))
        }
    }

    static func expand(_ value: String, environment: [String: String]) -> String {
        var result = value
        while let start = result.range(of: "${"), let end = result[start.upperBound...].firstIndex(of: "}") {
            let name = String(result[start.upperBound..<end])
            result.replaceSubrange(start.lowerBound...end, with: environment[name] ?? "")
        }
        return result
    }
}
