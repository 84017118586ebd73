import NpmModel

/// Sorts specs, resolutions and versions into registry and not-verifiable sources.
enum EntryClassifier {
    /// Why `reference` (a version, `resolved` URL or resolution) is not a registry package, or nil.
    static func nonRegistryReason(_ reference: String) -> String? {
        let lower = reference.lowercased()
        let rules: [(String, String)] = [
            ("git+", "git dependency"), ("git:", "git dependency"), ("git@", "git dependency"), ("github:", "git dependency"),
            ("gitlab:", "git dependency"), ("bitbucket:", "git dependency"), ("https://codeload.github.com/", "git dependency"),
            ("file:", "local file dependency"), ("link:", "linked local folder"), ("portal:", "linked local folder"),
            ("workspace:", "workspace package"), ("patch:", "patched package (its bytes are not the registry's)"),
            ("exec:", "generated package"),
        ]
        for (prefix, reason) in rules where lower.hasPrefix(prefix) { return "\(reason) (\(reference))" }
        if lower.contains("#commit=") { return "git dependency (\(reference))" }
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            // npm-package-arg asks hosted-git-info first: a URL on a git host is a git dependency,
            // fetched without an integrity check, whatever its path says.
            if let host = host(ofURL: lower), gitHosts.contains(host) { return "git dependency (\(reference))" }
            if !lower.contains("/-/") { return "tarball URL that is not a registry download (\(reference))" }
        }
        if lower.hasPrefix(".") || lower.hasPrefix("/") { return "local folder (\(reference))" }
        return nil
    }

    /// The hosts hosted-git-info knows (npm reads URLs on them as git repositories).
    static let gitHosts: Set<String> = ["github.com", "www.github.com", "gist.github.com", "gitlab.com", "www.gitlab.com",
                                        "bitbucket.org", "www.bitbucket.org", "git.sr.ht"]

    /// The host of an http(s) URL (lowercase input), without user info or port.
    static func host(ofURL url: String) -> String? {
        let rest: Substring
        if url.hasPrefix("https://") { rest = url.dropFirst(8) } else if url.hasPrefix("http://") { rest = url.dropFirst(7) } else { return nil }
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" && $0 != "\\" }
        let hostPort = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? authority
        return String(hostPort.prefix { $0 != ":" })
    }

    /// Splits `name@rest` where the name may be scoped (`@s/n@rest`).
    static func splitDescriptor(_ descriptor: String) -> (name: String, rest: String)? {
        let start = descriptor.hasPrefix("@") ? descriptor.index(after: descriptor.startIndex) : descriptor.startIndex
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
