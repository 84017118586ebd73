import SafeJSON
import NpmModel

/// Sorts specs, resolutions and versions into registry and not-verifiable sources.
enum EntryClassifier {
    /// Why `reference` (a version, `resolved` URL or resolution) is not a registry package, or nil.
    static func nonRegistryReason(_ reference: String) -> String? {
        let lower = reference.lowercased()
        let rules: [(String, String)] = [
            ("git+", "git dependency"), ("git:", "git dependency"), ("git@", "git dependency"), ("github:", "git dependency"),
            ("gitlab:", "git dependency"), ("bitbucket:", "git dependency"), ("gist:", "git dependency"),
            ("sourcehut:", "git dependency"), ("ssh:", "git dependency"), ("https://codeload.github.com/", "git dependency"),
            ("file:", "local file dependency"), ("link:", "linked local folder"), ("portal:", "linked local folder"),
            ("workspace:", "workspace package"), ("patch:", "patched package (its bytes are not the registry's)"),
            ("exec:", "generated package"),
        ]
        for (prefix, reason) in rules where lower.hasBytePrefix(prefix) { return "\(reason) (\(reference))" }
        if lower.contains("#commit=") { return "git dependency (\(reference))" }
        if lower.hasBytePrefix("http://") || lower.hasBytePrefix("https://") {
            // npm-package-arg asks hosted-git-info first: a URL on a git host is a git dependency,
            // fetched without an integrity check, whatever its path says.
            // A host npm would first map (IDNA, percent-decoding, dropped tabs or soft hyphens) may
            // be a git host in disguise (`ｇｉｔｈｕｂ.com`): not a host we can judge.
            guard let host = host(ofURL: lower), isPlainHost(host) else {
                return "URL whose host is not plain ASCII letters, digits, dots and hyphens; npm maps such a host and it may name a git host (\(reference))"
            }
            // hosted-git-info drops one leading `www.` before it looks a host up.
            if gitHosts.contains(host.hasBytePrefix("www.") ? host.droppingBytePrefix("www.") : host) { return "git dependency (\(reference))" }
            // Yarn 1's GitResolver: an http(s) URL ending in `.git`, before any `#commit`.
            if (lower.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "").hasByteSuffix(".git") {
                return "git dependency (\(reference))"
            }
            if !lower.contains("/-/") { return "tarball URL that is not a registry download (\(reference))" }
        }
        if lower.hasBytePrefix(".") || lower.hasBytePrefix("/") { return "local folder (\(reference))" }
        return nil
    }

    /// The hosts hosted-git-info knows (npm reads URLs on them, with or without `www.`, as git repositories).
    static let gitHosts: Set<String> = ["github.com", "gist.github.com", "gitlab.com", "bitbucket.org", "git.sr.ht"]

    /// The host of an http(s) URL (lowercase input), without user info or port. Delimiters are
    /// found on bytes (`/`, `?`, `#`, and `\\` as WHATWG URL reads it), never on Characters, which
    /// would join a delimiter with a combining mark after it.
    static func host(ofURL url: String) -> String? {
        let bytes = Array(url.utf8)
        let start: Int
        if url.hasBytePrefix("https://") { start = 8 } else if url.hasBytePrefix("http://") { start = 7 } else { return nil }
        let delimiters: Set<UInt8> = [UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "\\")]
        let authority = bytes[start...].prefix { !delimiters.contains($0) }
        let hostPort = authority.lastIndex(of: UInt8(ascii: "@")).map { authority[($0 + 1)...] } ?? authority
        if hostPort.first == UInt8(ascii: "[") {
            return String(decoding: hostPort.prefix { $0 != UInt8(ascii: "]") } + [UInt8(ascii: "]")], as: UTF8.self)
        }
        return String(decoding: hostPort.prefix { $0 != UInt8(ascii: ":") }, as: UTF8.self)
    }

    /// A host of ASCII letters, digits, dots and hyphens (lowercase input), or a bracketed IPv6 literal.
    static func isPlainHost(_ host: String) -> Bool {
        let bytes = host.utf8
        if bytes.first == UInt8(ascii: "[") {
            return bytes.count > 2 && bytes.dropFirst().dropLast().allSatisfy { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") || (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        }
        return !bytes.isEmpty && bytes.allSatisfy { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) }
    }

    /// Whether a `patchedDependencies` key (pnpm, Bun) names `package`: `name@version`, or `name`
    /// for every version.
    static func isPatched(_ package: LockedPackage, by keys: [String]) -> Bool {
        keys.contains { key in
            guard let (name, version) = splitDescriptor(key) else { return key.utf8.elementsEqual(package.name.utf8) }
            return name.utf8.elementsEqual(package.name.utf8) && (version.isEmpty || version.utf8.elementsEqual(package.version.utf8))
        }
    }

    /// Splits `name@rest` where the name may be scoped (`@s/n@rest`).
    static func splitDescriptor(_ descriptor: String) -> (name: String, rest: String)? {
        let start = descriptor.hasBytePrefix("@") ? descriptor.utf8.index(after: descriptor.startIndex) : descriptor.startIndex
        guard let at = descriptor[start...].firstIndex(of: "@") else { return nil }
        return (String(descriptor[..<at]), String(descriptor[descriptor.index(after: at)...]))
    }

    /// A valid package name, or a `LockfileError` naming the entry.
    static func validName(_ name: String, entry: String) throws -> String {
        do { return try PackageName(name).value } catch {
            throw LockfileError("entry \(entry): \(error)")
        }
    }

}
