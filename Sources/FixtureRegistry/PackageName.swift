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

    /// Whether `byte` is an ASCII letter or digit.
    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    /// Characters npm leaves unescaped in a new package name (a subset of URL-safe): letters, digits, `-._~`.
    private static func isNameByte(_ byte: UInt8) -> Bool { isAlphanumeric(byte) || "-._~".utf8.contains(byte) }

    /// Characters of a semver version: letters, digits, `.+-`.
    private static func isVersionByte(_ byte: UInt8) -> Bool { isAlphanumeric(byte) || ".+-".utf8.contains(byte) }

    private static func validate(component: String, of name: String) throws(RegistryError) {
        guard !component.isEmpty else { throw .invalidPackageName(name, reason: "empty scope or name") }
        guard let first = component.first, first != ".", first != "_" else {
            throw .invalidPackageName(name, reason: "must not start with '.' or '_'")
        }
        guard component != "-", component.lowercased() != "node_modules", component.lowercased() != "favicon.ico" else {
            throw .invalidPackageName(name, reason: "'\(component)' is reserved")
        }
        guard component.utf8.allSatisfy(isNameByte) else {
            throw .invalidPackageName(name, reason: "only letters, digits and '-._~' are allowed")
        }
    }

    /// Checks that a version string is safe to use in a file name (semver characters only).
    static func validate(version: String) throws(RegistryError) {
        let bytes = version.utf8
        guard let first = bytes.first, bytes.count <= RegistryLimits.maxVersionLength,
              first >= 0x30, first <= 0x39, bytes.allSatisfy(isVersionByte), !version.contains("..")
        else { throw .invalidVersion(version, reason: "expected a semver version such as 1.2.3 or 2.0.0-beta.1") }
    }
}
