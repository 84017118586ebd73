import Foundation
import SafeJSON

/// The registry's check that a provenance bundle was built from the repository the
/// package claims (`repository.url` in package.json), as npm's registry does: a mismatch
/// is refused with 422 and npm's wording, so a workflow in one repository cannot publish
/// provenance for a package that names another.
enum ProvenanceRepositoryCheck {
    /// Throws `.unprocessable` when the source repository differs from the manifest's: the signing
    /// certificate's (`signedRepository`) when the bundle was verified, else the statement's.
    static func check(bundle: JSONValue, manifest: JSONValue, package: String, version: String,
                      signedRepository: String? = nil) throws(RegistryError) {
        guard let source = signedRepository ?? sourceRepository(of: bundle) else {
            throw .unprocessable(package: "\(package)@\(version)", reason:
                "Error verifying sigstore provenance bundle: the provenance statement names no source repository")
        }
        let declared = declaredRepository(of: manifest)
        guard let declared, normalize(declared) == normalize(source) else {
            throw .unprocessable(package: "\(package)@\(version)", reason:
                "Error verifying sigstore provenance bundle: Failed to validate repository information: package.json: "
                + "\"repository.url\" is \"\(declared ?? "")\", expected to match \"\(source)\" from provenance")
        }
    }

    /// The source repository of an SLSA v1 (`externalParameters.workflow.repository`) or
    /// v0.2 (`invocation.configSource.uri`, without `git+` and `@ref`) statement.
    static func sourceRepository(of bundle: JSONValue) -> String? {
        guard let payload = bundle["dsseEnvelope"]?["payload"]?.stringValue,
              let data = Data(base64Encoded: payload),
              let statement = try? JSONValue.parse(data) else { return nil }
        let predicate = statement["predicate"]
        if let repository = predicate?["buildDefinition"]?["externalParameters"]?["workflow"]?["repository"]?.stringValue {
            return repository
        }
        guard let uri = predicate?["invocation"]?["configSource"]?["uri"]?.stringValue else { return nil }
        return String(uri.prefix { $0 != "@" })
    }

    /// `repository` of package.json: a string (`github:owner/repo`, a URL) or `{type, url}`.
    static func declaredRepository(of manifest: JSONValue) -> String? {
        manifest["repository"]?.stringValue ?? manifest["repository"]?["url"]?.stringValue
    }

    /// Compares URLs the way npm's normaliser does in effect: scheme variants, `git+`, `.git` and
    /// trailing slashes do not matter, nor does the `github:` shorthand.
    static func normalize(_ url: String) -> String {
        var value = url.trimmingCharacters(in: .whitespaces)
        if value.hasPrefix("github:") { value = "https://github.com/" + value.dropFirst("github:".count) }
        if !value.contains(":"), value.split(separator: "/").count == 2 { value = "https://github.com/" + value }
        if value.hasPrefix("git+") { value.removeFirst(4) }
        for scheme in ["git://", "ssh://git@", "http://"] where value.hasPrefix(scheme) {
            value = "https://" + value.dropFirst(scheme.count)
        }
        if value.hasPrefix("git@github.com:") { value = "https://github.com/" + value.dropFirst("git@github.com:".count) }
        while value.hasSuffix("/") { value.removeLast() }
        if value.hasSuffix(".git") { value.removeLast(4) }
        return value.lowercased()
    }
}
