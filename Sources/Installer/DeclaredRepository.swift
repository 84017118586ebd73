import FoundationEssentials
import NpmVerify
import SafeJSON

/// A version's own `repository` (its tarball's package.json) against the source
/// repository its provenance names. The npm registry refuses such a publish with E422, so a
/// mismatch on a registry means the metadata or the provenance was not what npm accepted.
enum DeclaredRepository {
    /// hosted-git-info's forms, reduced to a comparable URL: `git+https://github.com/o/r.git`,
    /// `git://github.com/o/r`, `git@github.com:o/r.git`, `github:o/r`, `o/r`.
    static func normalised(_ text: String) -> String? {
        var url = text.trimmingWhitespace()
        if let hash = url.firstIndex(of: "#") { url = String(url[..<hash]) }
        guard !url.isEmpty else { return nil }
        if url.hasBytePrefix("github:") { url = "https://github.com/" + url.droppingBytePrefix("github:") }
        if url.hasBytePrefix("git@"), let colon = url.firstIndex(of: ":") {
            url = "https://" + url[url.index(url.startIndex, offsetBy: 4)..<colon] + "/" + url[url.index(after: colon)...]
        }
        if !url.contains(":"), url.split(separator: "/").count == 2 { url = "https://github.com/" + url }
        for prefix in ["git+https://", "git+ssh://git@", "git+http://", "git://", "ssh://git@", "http://"] where url.hasBytePrefix(prefix) {
            url = "https://" + url.droppingBytePrefix(prefix)
        }
        if url.hasByteSuffix(".git") { url = url.droppingByteSuffix(".git") }
        while url.hasByteSuffix("/") { url = url.droppingByteSuffix("/") }
        // ASCII letters only: Unicode lower-casing would equate the Kelvin sign with k.
        return String(decoding: url.utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// A message when the declared repository differs from the one `builtBy` names, or `builtBy` (a
    /// verified provenance) names none: npm takes provenance only from CI runs that name their
    /// repository, so one without is no build of the declared source. nil when they agree, or
    /// when nothing is declared.
    static func mismatch(name: String, version: String, declared: String?, builtBy: ProvenanceIdentity) -> String? {
        guard let declared, let normalised = normalised(declared) else { return nil }
        guard let provenance = builtBy.repository else {
            return "\(name)@\(version): package.json repository is \(declared), but its provenance names no source repository (signed by \(builtBy.signer)), so it is no build of that repository"
        }
        guard !same(normalised, self.normalised(provenance)) else { return nil }
        return "\(name)@\(version): package.json repository is \(declared), but its provenance was built from \(provenance) (the npm registry refuses such a publish with E422)"
    }

    /// Whether two normalised repositories are the same bytes.
    static func same(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return a.utf8.elementsEqual(b.utf8)
    }
}
