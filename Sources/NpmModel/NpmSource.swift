import SafeJSON

/// Where npm-package-arg says a spec, `resolved` URL or resolution points: the registry, or a
/// source whose bytes no registry vouches for (git, a local folder, a bare tarball URL). npm skips
/// the integrity check for git sources, so install, ci and verify-lockfile share this one reading.
public enum NpmSource {
    /// Why `reference` (a version, `resolved` URL or resolution) is not a registry package, or nil.
    public static func nonRegistryReason(_ reference: String) -> String? {
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
            if !lower.contains("/-/") { return "\(offRegistryTarball) (\(reference))" }
        }
        if lower.hasBytePrefix(".") || lower.hasBytePrefix("/") { return "local folder (\(reference))" }
        return nil
    }

    static let offRegistryTarball = "tarball URL that is not a registry download"

    /// Whether `reference` is a plain http(s) tarball URL on no git host, only without npm's `/-/`
    /// path: a remote tarball dependency, or a registry that serves elsewhere (GitHub Packages'
    /// `/download/…`). Where only registry specs reach it, it is judged as the registry's version:
    /// its `resolved` must be where the registry serves that version (found by a re-attack).
    public static func isOffRegistryTarball(_ reference: String) -> Bool {
        nonRegistryReason(reference)?.hasBytePrefix(offRegistryTarball) == true
    }

    /// The hosts hosted-git-info knows (npm reads URLs on them, with or without `www.`, as git repositories).
    public static let gitHosts: Set<String> = ["github.com", "gist.github.com", "gitlab.com", "bitbucket.org", "git.sr.ht"]

    /// The host of an http(s) URL (lowercase input), without user info or port. Delimiters are
    /// found on bytes (`/`, `?`, `#`, and `\\` as WHATWG URL reads it), never on Characters, which
    /// would join a delimiter with a combining mark after it.
    public static func host(ofURL url: String) -> String? {
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
    public static func isPlainHost(_ host: String) -> Bool {
        let bytes = host.utf8
        if bytes.first == UInt8(ascii: "[") {
            return bytes.count > 2 && bytes.dropFirst().dropLast().allSatisfy { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") || (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        }
        return !bytes.isEmpty && bytes.allSatisfy { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) }
    }

    /// Why npm would not read `url` as a remote tarball whose integrity it checks, or nil. An
    /// allow-list: printable ASCII without backslash, `http://` or `https://`, no user info, and a
    /// plain host that is no git host hosted-git-info knows. Found by review: a `dist.tarball` on
    /// github.com went into the lockfile and `npm ci` cloned the repository unchecked; then by a
    /// re-attack: `http:/github.com/…`, `x@host/…` and `host/…` passed a check for `http://`,
    /// libcurl fetched them, and npm read them as git repositories or local folders.
    public static func remoteTarballRefusal(_ url: String) -> String? {
        guard url.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            return "it holds a space, a control character or a non-ASCII character"
        }
        let lower = url.lowercased()
        guard lower.hasBytePrefix("http://") || lower.hasBytePrefix("https://") else {
            return "it is not an absolute http:// or https:// URL"
        }
        // WHATWG (npm) ends the host at a backslash, libcurl does not; user info lets the two read
        // different hosts around it (found by a re-attack: npm fetched from a server we never checked).
        let authority = lower.utf8.drop { $0 != UInt8(ascii: "/") }.dropFirst(2).prefix { !"/?#".utf8.contains($0) }
        guard !lower.utf8.contains(UInt8(ascii: "\\")), !authority.contains(UInt8(ascii: "@")) else {
            return "it holds a backslash or user info, which npm and libcurl read as different hosts"
        }
        guard let host = host(ofURL: lower), isPlainHost(host) else {
            return "its host is empty or not plain ASCII letters, digits, dots and hyphens; npm maps such a host and it may name a git host"
        }
        return gitHosts.contains(host.hasBytePrefix("www.") ? host.droppingBytePrefix("www.") : host) ? "it is on the git host \(host), a git repository to npm" : nil
    }
}
