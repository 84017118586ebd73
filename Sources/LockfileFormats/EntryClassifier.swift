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
        if lower.hasPrefix("http://") || lower.hasPrefix("https://"), !lower.contains("/-/") {
            return "tarball URL that is not a registry download (\(reference))"
        }
        if lower.hasPrefix(".") || lower.hasPrefix("/") { return "local folder (\(reference))" }
        return nil
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
