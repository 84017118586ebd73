import Foundation

/// A validated npm package name, plain (`left-pad`) or scoped (`@mochi/example`).
///
/// Every name that reaches storage or a file path goes through here first, so a
/// hostile request (`..`, `a/b/c`, `%00`) can never name a directory outside
/// the registry's storage.
public struct PackageName: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The scope without `@` (`mochi`), or nil for a plain name.
    public let scope: String?
    /// The name without its scope (`example`); also the stem of tarball file names.
    public let unscoped: String

    /// Parses and validates `name` (`@scope/name` or `name`).
    public init(_ name: String) throws(RegistryError) {
        guard !name.isEmpty, name.utf8.count <= RegistryLimits.maxPackageNameLength else {
            throw .invalidPackageName(name, reason: "must be 1 to \(RegistryLimits.maxPackageNameLength) characters")
        }
        if name.hasPrefix("@") {
            let parts = name.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw .invalidPackageName(name, reason: "a scoped name is @scope/name with exactly one slash")
            }
            try Self.validate(component: String(parts[0]), of: name)
            try Self.validate(component: String(parts[1]), of: name)
            scope = String(parts[0])
            unscoped = String(parts[1])
        } else {
            try Self.validate(component: name, of: name)
            scope = nil
            unscoped = name
        }
    }

    /// The name as npm writes it: `@scope/name` or `name`.
    public var description: String { scope.map { "@\($0)/\(unscoped)" } ?? unscoped }

    /// The name as it appears in a packument URL: `@scope%2fname` (npm-package-arg's `escapedName`).
    public var escaped: String { scope.map { "@\($0)%2f\(unscoped)" } ?? unscoped }

    /// The registry-relative path of a version's tarball: `@scope/name/-/name-1.0.0.tgz`.
    public func tarballPath(version: String) -> String {
        "\(description)/-/\(tarballFileName(version: version))"
    }

    /// The tarball file name for a version: `<unscoped>-<version>.tgz`.
    public func tarballFileName(version: String) -> String { "\(unscoped)-\(version).tgz" }

    /// The version a tarball file name stands for, or nil when it does not belong to this package.
    public func version(fromTarballFileName file: String) -> String? {
        let prefix = "\(unscoped)-", suffix = ".tgz"
        guard file.hasPrefix(prefix), file.hasSuffix(suffix), file.count > prefix.count + suffix.count else { return nil }
        let version = String(file.dropFirst(prefix.count).dropLast(suffix.count))
        return (try? Self.validate(version: version)) != nil ? version : nil
    }

    public static func < (lhs: PackageName, rhs: PackageName) -> Bool { lhs.description < rhs.description }

    // MARK: - Validation

    /// Characters npm leaves unescaped in a new package name (a subset of URL-safe).
    private static let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    private static func validate(component: String, of name: String) throws(RegistryError) {
        guard !component.isEmpty else { throw .invalidPackageName(name, reason: "empty scope or name") }
        guard let first = component.first, first != ".", first != "_" else {
            throw .invalidPackageName(name, reason: "must not start with '.' or '_'")
        }
        guard component != "-", component.lowercased() != "node_modules", component.lowercased() != "favicon.ico" else {
            throw .invalidPackageName(name, reason: "'\(component)' is reserved")
        }
        guard component.allSatisfy(allowed.contains) else {
            throw .invalidPackageName(name, reason: "only letters, digits and '-._~' are allowed")
        }
    }

    /// Checks that a version string is safe to use in a file name (semver characters only).
    static func validate(version: String) throws(RegistryError) {
        let allowed = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.+-")
        guard !version.isEmpty, version.count <= RegistryLimits.maxVersionLength,
              version.first?.isNumber == true, version.allSatisfy(allowed.contains), !version.contains("..")
        else { throw .invalidVersion(version, reason: "expected a semver version such as 1.2.3 or 2.0.0-beta.1") }
    }
}
