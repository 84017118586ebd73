import Semver
import CodedError
import FoundationEssentials
import SafeJSON

/// What a user or a `dependencies` entry asks for: a registry package by tag, version or range.
///
/// Git, file, directory, tarball-URL and alias specs are recognised and refused
/// with a clear "not supported" error instead of being misread as tags.
public struct PackageSpec: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case version(String)
        case range(String)
        case tag(String)
    }

    public let name: PackageName
    public let kind: Kind

    /// The text after the name, as npm prints it (`*` when none was given).
    public var rawSpec: String {
        switch kind {
        case .version(let v), .range(let v), .tag(let v): v
        }
    }

    public var description: String { "\(name)@\(rawSpec)" }

    public init(name: PackageName, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    /// Parses a command-line argument such as `@mochi/example@^1.2.0` or `left-pad`.
    public init(parsing argument: String) throws {
        // Untrimmed, as npm-package-arg reads an argument (a name with spaces around it is invalid);
        // only the spec after `@` is trimmed, as JavaScript trims (U+200B stays).
        let text = argument
        if PackageSpec.looksLikeNonRegistry(text) || PackageSpec.isGitShorthand(text) {
            throw NpmModelError(.unsupportedSpec, "'\(argument)' is not supported: only registry packages (name, name@version, name@range, name@tag) can be installed")
        }
        let searchStart = text.hasBytePrefix("@") ? text.utf8.index(after: text.startIndex) : text.startIndex
        if let at = text.utf8[searchStart...].firstIndex(of: UInt8(ascii: "@")) {
            let name = try PackageName(String(text[..<at]))
            let rest = String(text[text.utf8.index(after: at)...])
            try self.init(name: name, rawSpec: rest.isEmpty ? "*" : rest)
        } else {
            try self.init(name: PackageName(text), rawSpec: "*")
        }
    }

    /// Classifies a dependency's spec as npm-package-arg does for registry specs (loose semver):
    /// a valid version, else a valid range, else a URL-safe tag name.
    public init(name: PackageName, rawSpec: String) throws {
        let spec = rawSpec.trimmingJavaScriptWhitespace()
        // npm-package-arg's own reading too (`.evil` is a folder, `C:x` a file), as ci and audit use it.
        if PackageSpec.looksLikeNonRegistry(spec) || !Semver.isRegistrySpec(spec) {
            throw NpmModelError(.unsupportedSpec, "\(name)@\(rawSpec) is not supported: only registry versions, ranges and tags can be installed (git, file, alias and URL specs are not)")
        }
        self.name = name
        if SemanticVersion(spec, loose: true) != nil {
            kind = .version(spec)
        } else if (try? VersionRange(spec, loose: true)) != nil {
            kind = .range(spec)
        } else if PackageName.isURIComponentSafe(spec) {
            kind = .tag(spec)
        } else {
            throw NpmModelError(.invalidSpec, "\(name)@\(rawSpec) is neither a version, a semver range nor a valid dist-tag name")
        }
    }

    /// npm-package-arg's `isGit` (`^[^@]+@[^:.]+\.[^:]+:.+$`), tried on a whole command-line
    /// argument before it is split at `@`: `gg@1.x :y` is `git+ssh://gg@1.x :y` to npm.
    static func isGitShorthand(_ argument: String) -> Bool {
        let scalars = Array(argument.unicodeScalars)
        guard let at = scalars.firstIndex(of: "@"), at > 0 else { return false }
        let host = scalars[(at + 1)...]
        guard let dot = host.firstIndex(of: "."), dot > at + 1, !host[..<dot].contains(":"),
              let colon = host[(dot + 1)...].firstIndex(of: ":"), colon > dot + 1, colon + 1 < scalars.count else { return false }
        return !scalars[(colon + 1)...].contains { ["\n", "\r", "\u{2028}", "\u{2029}"].contains($0) }
    }

    static func looksLikeNonRegistry(_ spec: String) -> Bool {
        let lower = spec.lowercased()
        let prefixes = ["git+", "git:", "git@", "http:", "https:", "file:", "npm:", "link:", "workspace:", "github:", "gitlab:", "bitbucket:", "gist:", "./", "../", "/", "~/"]
        if prefixes.contains(where: { lower.hasBytePrefix($0) }) { return true }
        if lower.hasByteSuffix(".tgz") || lower.hasByteSuffix(".tar.gz") || lower.hasByteSuffix(".tar") { return true }
        // `owner/repo` GitHub shorthand (not a scoped name).
        if !spec.hasBytePrefix("@"), spec.contains("/"), !spec.contains(" ") { return true }
        return false
    }
}
