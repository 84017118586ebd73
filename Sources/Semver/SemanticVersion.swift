// MARK: - Versions

/// A semantic version as node-semver parses it (`semver.parse`).
///
/// Strict parsing (the default, and what npm uses for `package.json` versions) accepts surrounding
/// whitespace and a single leading `v` (`" v1.2.3 "`), but not `=`. Loose parsing, which
/// npm-package-arg uses to classify specs, also accepts any run of `v`, `=` and whitespace in
/// front, leading zeros (`01.2.3`) and a prerelease without its hyphen (`1.2.3beta`).
///
/// Equality and ordering are semver precedence: build metadata is ignored, so
/// `1.0.0+a == 1.0.0+b`.
public struct SemanticVersion: Sendable, CustomStringConvertible, LosslessStringConvertible {
    /// node-semver refuses version texts longer than this (UTF-16 code units, before trimming).
    public static let maxLength = 256

    public let major: UInt64
    public let minor: UInt64
    public let patch: UInt64
    public let prerelease: [PrereleaseIdentifier]
    /// Build metadata identifiers: kept for display, ignored for precedence.
    public let build: [String]

    /// Strict parse, like `semver.parse(text)`; nil when node would return null.
    public init?(_ description: String) {
        guard let version = try? SemanticVersion.parse(description) else { return nil }
        self = version
    }

    /// Parse with node-semver's `loose` option; nil when node would return null.
    public init?(_ text: String, loose: Bool) {
        guard let version = try? SemanticVersion.parse(text, loose: loose) else { return nil }
        self = version
    }

    /// Parses `text`, throwing a `SemverError` that says what is wrong with it.
    public static func parse(_ text: String, loose: Bool = false) throws -> SemanticVersion {
        try parse(JSText.scalars(text)[...], loose: loose, text: text)
    }

    /// Parses already-split text; `text()` spells the input for error messages.
    static func parse(_ scalars: ArraySlice<Unicode.Scalar>, loose: Bool, text: @autoclosure () -> String) throws -> SemanticVersion {
        let length = scalars.reduce(0) { $0 + ($1.value > 0xFFFF ? 2 : 1) }
        guard length <= maxLength else {
            throw SemverError(.invalidVersion, input: text(), "Invalid version \"\(text())\": longer than \(maxLength) characters")
        }
        let trimmed = JSText.trimmed(scalars)
        var start = trimmed.startIndex
        if loose {
            start = trimmed.firstIndex { !$0.isVersionPrefix } ?? trimmed.endIndex
        } else if trimmed.first == "v" {
            start += 1
        }
        guard let parts = Grammar.matchCore(trimmed[start...], wildcards: false, complete: true, loose: loose),
              let minorText = parts.minor, let patchText = parts.patch else {
            throw SemverError(.invalidVersion, input: text(), "Invalid version \"\(text())\"")
        }
        func number(_ part: String, _ name: String) throws -> UInt64 {
            guard let value = JSNumber.safeValue(part.unicodeScalars) else {
                throw SemverError(.invalidVersion, input: text(),
                                  "Invalid version \"\(text())\": \(name) version is above \(JSNumber.maxSafeInteger)")
            }
            return value
        }
        func identifiers(_ list: String?) -> [Substring] {
            list?.split(separator: ".", omittingEmptySubsequences: false) ?? []
        }
        return SemanticVersion(
            major: try number(parts.major, "major"),
            minor: try number(minorText, "minor"),
            patch: try number(patchText, "patch"),
            prerelease: identifiers(parts.prerelease).map { PrereleaseIdentifier(String($0)) },
            build: identifiers(parts.build).map(String.init))
    }

    init(major: UInt64, minor: UInt64, patch: UInt64, prerelease: [PrereleaseIdentifier], build: [String]) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
        self.build = build
    }

    // MARK: Properties

    /// True when the version has a prerelease part (`1.0.0-rc.1`).
    public var isPrerelease: Bool { !prerelease.isEmpty }

    /// The normalised text without build metadata, as node's `version` / `semver.valid`
    /// prints it (`v01.2.3-01` in loose mode becomes `1.2.3-1`).
    public var description: String {
        let core = "\(major).\(minor).\(patch)"
        guard isPrerelease else { return core }
        return core + "-" + prerelease.map(\.description).joined(separator: ".")
    }

    /// The normalised text including build metadata (`1.2.3-beta+exp.sha`).
    public var descriptionWithBuild: String {
        build.isEmpty ? description : description + "+" + build.joined(separator: ".")
    }
}
