import Foundation
import Glibc
public import SafeJSON

/// Which files `npm pack` (npm-packlist) puts in the tarball of a package folder: npm's default
/// exclusions (any `.npmrc`, VCS folders, the root lockfiles...), then the `files` allowlist of
/// package.json, else the root `.npmignore` (else `.gitignore`), and always package.json, the
/// README, LICENSE and the `main`, `browser` and bin files. Found by review: the fixture play packed the
/// whole folder, an `.npmrc` holding a token included, where `npm publish` packs far less.
/// Nested ignore files are not read, so a folder holding one is refused rather than packed wrongly.
public struct NpmPackList: Sendable {
    let manifest: [String: JSONValue]
    /// The `files` entries of package.json, when it has that allowlist.
    let allowlist: [String]?
    /// The rules of the root `.npmignore` (else `.gitignore`), read once: no blank or `#` lines.
    let ignoreRules: [String]

    public init(manifest: [String: JSONValue], ignoreText: String?) {
        self.manifest = manifest
        allowlist = manifest["files"]?.arrayValue.map { $0.compactMap(\.stringValue) }
        ignoreRules = (ignoreText ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    /// Excluded at any depth (a path component, or a file name pattern).
    static let excludedAnywhere = [".git", ".svn", ".hg", "CVS", ".npmrc", "node_modules", ".DS_Store", "._*", "*.orig",
                                   "npm-debug.log", ".*.swp", ".npmignore", ".gitignore"]
    /// Excluded at the root only.
    static let excludedAtRoot = ["package-lock.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb", "bun.lock",
                                 ".lock-wscript", ".wafpickle-*", "build/config.gypi", "archived-packages"]

    /// Whether `path` (package-relative, `/`-separated) goes into the tarball.
    public func includes(_ path: String) -> Bool {
        if isExcludedByDefault(path) { return false }
        if isAlwaysIncluded(path) { return true }
        if let allowlist { return Self.lastVerdict(allowlist, path: path, allowlist: true) ?? false }
        return !(Self.lastVerdict(ignoreRules, path: path, allowlist: false) ?? false)
    }

    func isExcludedByDefault(_ path: String) -> Bool {
        let components = path.split(separator: "/").map(String.init)
        if components.contains(where: { name in Self.excludedAnywhere.contains { Self.matches($0, name) } }) { return true }
        return Self.excludedAtRoot.contains { Self.matches($0, path) || path.hasPrefix($0 + "/") }
    }

    func isAlwaysIncluded(_ path: String) -> Bool {
        if path == "package.json" || Self.isRootDocument(path) { return true }
        // `main` and `browser` as written (npm-packlist's `!./lib/m.js` matches nothing), bins normalised.
        var named = [manifest["main"]?.stringValue, manifest["browser"]?.stringValue].compactMap { $0 }
        switch manifest["bin"] {
        case .string(let bin)?: named.append(Self.normalized(bin))
        case .object(let bins)?: named += bins.values.compactMap(\.stringValue).map(Self.normalized)
        default: break
        }
        if named.contains(path) { return true }
        // With no `bin`, the files of `directories.bin` are the bins.
        guard manifest["bin"] == nil, let folder = manifest["directories"]?["bin"]?.stringValue.map(Self.normalized), !folder.isEmpty else { return false }
        // read-package-json-fast's walkBinDir skips dot entries: they are never bins.
        return path.hasPrefix(folder + "/") && !path.dropFirst(folder.count + 1).split(separator: "/").contains { $0.hasPrefix(".") }
    }

    /// npm-packlist's `/readme{,.*[^~$]}` (and copying, license, licence), case aside: at the root,
    /// the bare name or the name with an extension, never a backup (`~`) or a `$` file.
    static func isRootDocument(_ path: String) -> Bool {
        let lower = path.lowercased()
        guard !lower.contains("/"), !lower.hasSuffix("~"), !lower.hasSuffix("$") else { return false }
        return ["readme", "license", "licence", "copying"].contains { lower == $0 || (lower.hasPrefix($0 + ".") && lower.count > $0.count + 1) }
    }

    /// The verdict of the last rule that matches `path` (or a folder above it): true for a plain
    /// rule, false for a `!` rule; nil when none matches.
    static func lastVerdict(_ rules: [String], path: String, allowlist: Bool) -> Bool? {
        var verdict: Bool?
        for rule in rules {
            let negated = rule.hasPrefix("!")
            let raw = negated ? String(rule.dropFirst()) : rule
            let pattern = normalized(raw)
            // A leading `/` or a `/` inside anchors a rule to the root; a trailing one does not. A
            // `files` entry is anchored, but a negated one without a slash (`!*.env`) names a file at
            // any depth (found by review: `!*.env` left dist/prod.env in the tarball).
            let anchored = raw.hasPrefix("/") || pattern.contains("/") || (allowlist && !negated)
            guard !pattern.isEmpty, covers(pattern, path, anchored: anchored) else { continue }
            verdict = !negated
        }
        return verdict
    }

    /// Whether `pattern` names `path` or a folder above it; an unanchored pattern (no `/`) may
    /// name any component, as in a `.gitignore`.
    static func covers(_ pattern: String, _ path: String, anchored: Bool) -> Bool {
        let components = path.split(separator: "/").map(String.init)
        let segments = pattern.split(separator: "/").map(String.init)
        for end in 1...components.count {
            let matched = anchored ? globMatch(segments[...], components[..<end]) : matches(pattern, components[end - 1])
            if matched { return true }
        }
        return false
    }

    /// Segment by segment; `**` stands for any number of folders, as git and minimatch read it.
    static func globMatch(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == "**" {
            return (0...path.count).contains { globMatch(pattern.dropFirst(), path.dropFirst($0)) }
        }
        guard let name = path.first, matches(first, name) else { return false }
        return globMatch(pattern.dropFirst(), path.dropFirst())
    }

    static func matches(_ pattern: String, _ text: String) -> Bool { fnmatch(pattern, text, 0) == 0 }

    /// `./dist/` → `dist`.
    static func normalized(_ raw: String) -> String {
        var text = Substring(raw)
        while text.hasPrefix("./") { text = text.dropFirst(2) }
        while text.hasPrefix("/") { text = text.dropFirst() }
        while text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }
}
