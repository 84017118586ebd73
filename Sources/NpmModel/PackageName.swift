import FoundationEssentials
import SafeJSON
import CodedError

/// An npm package name, validated as npm-package-arg validates names it installs
/// (validate-npm-package-name's `validForOldPackages`: legacy capitals are allowed).
public struct PackageName: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: String

    public init(_ value: String) throws {
        if let reason = PackageName.problem(in: value) {
            throw NpmModelError(.invalidName, "invalid package name '\(value)': \(reason)")
        }
        self.value = value
    }

    public var description: String { value }
    public static func < (a: PackageName, b: PackageName) -> Bool { a.value < b.value }

    /// `@scope` for a scoped name.
    public var scope: String? {
        guard value.hasBytePrefix("@"), let slash = value.firstIndex(of: "/") else { return nil }
        return String(value[..<slash])
    }

    /// The part after the scope: what npm names the tarball after.
    public var unscoped: String {
        guard scope != nil, let slash = value.firstIndex(of: "/") else { return value }
        return String(value[value.index(after: slash)...])
    }

    /// The path segment npm sends to the registry: `@scope%2fname` for scoped names.
    public var escapedForRegistry: String {
        value.replacing("/", with: "%2f")
    }

    // MARK: - Rules

    /// Longest name accepted for reading: each part must still fit in one file name (NAME_MAX).
    static let maxLegacyBytes = 255
    /// npm's limit for new packages.
    public static let maxLength = 214

    /// validate-npm-package-name's errors (`validForOldPackages`), plus: `@scope/.` and `@scope/..`
    /// (npm ≥ 10 refuses them too) and names too long to be a directory.
    static func problem(in name: String) -> String? {
        if name.isEmpty { return "name length must be greater than zero" }
        if name.hasBytePrefix(".") { return "name cannot start with a period" }
        if name.hasBytePrefix("_") { return "name cannot start with an underscore" }
        if name.trimmingWhitespaceAndNewlines() != name { return "name cannot contain leading or trailing spaces" }
        if ["node_modules", "favicon.ico"].contains(name.lowercased()) { return "\(name.lowercased()) is not a valid package name" }
        if name.utf8.count > maxLegacyBytes { return "name is \(name.utf8.count) bytes long, more than the \(maxLegacyBytes) a folder name can hold" }
        if isURIComponentSafe(name) { return nil }
        // Scoped form: @scope/name with both halves URL-safe and a name part not starting with a period.
        if name.hasBytePrefix("@") {
            let parts = name.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
            if parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty {
                if parts[1].hasBytePrefix(".") { return "name cannot start with a period" }
                if isURIComponentSafe(String(parts[0])), isURIComponentSafe(String(parts[1])) { return nil }
            }
        }
        return "name can only contain URL-friendly characters"
    }

    /// What keeps `name` from being published today (validate-npm-package-name's warnings:
    /// capitals, more than 214 characters, `~'!()*` in the last part), or nil.
    public static func newPackageProblem(in name: String) -> String? {
        if let problem = problem(in: name) { return problem }
        if name.count > maxLength { return "name can no longer contain more than \(maxLength) characters" }
        if name.lowercased() != name { return "name can no longer contain capital letters" }
        let last = name.split(separator: "/").last.map(String.init) ?? name
        if last.contains(where: { "~'!()*".contains($0) }) { return "name can no longer contain special characters (\"~'!()*\")" }
        return nil
    }

    /// Characters JavaScript's `encodeURIComponent` leaves alone.
    static func isURIComponentSafe(_ s: String) -> Bool {
        s.unicodeScalars.allSatisfy { c in
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || "-_.!~*'()".unicodeScalars.contains(c)
        }
    }
}
