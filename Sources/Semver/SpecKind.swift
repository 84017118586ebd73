// MARK: - What a wanted spec is

/// How npm-package-arg classifies a registry spec: a valid (loose) version, else a valid
/// (loose) range, else a dist-tag name, which must survive `encodeURIComponent` unchanged.
/// Specs that name git repositories, files, URLs or aliases are not registry specs at all.
enum SpecKind: Equatable, Sendable {
    case version
    case range
    case tag

    init(classifying spec: String, failure: (ManifestPickError.Code) -> ManifestPickError) throws {
        if SpecKind.isNonRegistry(spec) { throw failure(.unsupportedSpec) }
        let trimmed = JSText.trimmed(spec)
        if SemanticVersion(trimmed, loose: true) != nil {
            self = .version
        } else if (try? RangeParser.parse(trimmed, RangeOptions(loose: true))) != nil {
            self = .range
        } else if trimmed.unicodeScalars.allSatisfy(SpecKind.isURIComponentSafe) {
            self = .tag
        } else {
            throw failure(.invalidTagName)
        }
    }

    /// Characters `encodeURIComponent` leaves alone: `A-Z a-z 0-9 - _ . ! ~ * ' ( )`.
    static func isURIComponentSafe(_ c: Unicode.Scalar) -> Bool {
        c.isASCIIDigit || (c.value >= 0x41 && c.value <= 0x5A) || (c.value >= 0x61 && c.value <= 0x7A)
            || "-_.!~*'()".unicodeScalars.contains(c)
    }

    /// Files and directories (`./x`, `~/x`, `/x`, `C:x`, `x.tgz`, anything with a slash), git
    /// hosts and URLs (`github:u/r`, `git+ssh:…`, `https:…`) and aliases (`npm:x@1`): the spec
    /// forms npm-package-arg does not resolve from the registry.
    static func isNonRegistry(_ spec: String) -> Bool {
        let scalars = Array(spec.lowercased().unicodeScalars)
        func isLetter(_ c: Unicode.Scalar) -> Bool { c.value >= 0x61 && c.value <= 0x7A }
        if scalars.first == "." || scalars.first == "/" || scalars.starts(with: "~/".unicodeScalars) { return true }
        if scalars.count >= 2, isLetter(scalars[0]), scalars[1] == ":" { return true }
        // `^(git\+)?[a-z]+:` covers file:, npm:, github:, git+ssh:, https: and the like.
        let afterGit = scalars.starts(with: "git+".unicodeScalars) ? scalars.dropFirst(4) : scalars[...]
        let letters = afterGit.prefix(while: isLetter)
        if !letters.isEmpty, afterGit.dropFirst(letters.count).first == ":" { return true }
        if scalars.contains("/") { return true }
        // npm-package-arg's `[.](?:tgz|tar.gz|tar)$`, whose unescaped dot matches any character.
        // Compared on scalars, as JavaScript compares code units: a String suffix test compares
        // Characters, and a Prepend scalar (U+0600) before the dot hides `.tgz` from it.
        func ends(with suffix: String) -> Bool { scalars.reversed().starts(with: suffix.unicodeScalars.reversed()) }
        if ends(with: ".tgz") || ends(with: ".tar") { return true }
        return scalars.count >= 7 && scalars.suffix(7).starts(with: ".tar".unicodeScalars) && ends(with: "gz")
    }
}
