public import Foundation
import SafeJSON

extension RegistryStorage {
    // MARK: - Attestations

    /// Checks a provenance bundle (its subject is this tarball, its repository the manifest's) and makes
    /// the publish attestation: returns `dist.attestations` and the attestations document to store.
    func attest(_ provenance: Data, manifest: [String: JSONValue], package: String, name: PackageName, version: String,
                digest: TarballDigest, registryURL: String) throws(RegistryError) -> (dist: JSONValue, document: JSONValue) {
        let bundle = try JSONValue.parseBundle(provenance, package: package)
        try ProvenanceSubjectCheck.check(bundle: bundle, name: name, version: version, sha512Hex: digest.sha512Hex)
        let signed = try verifiedSigner(bundle, package: "\(package)@\(version)")
        try ProvenanceRepositoryCheck.check(bundle: bundle, manifest: .object(manifest), package: package, version: version,
                                            signedRepository: signed?.repository)
        let dist: JSONValue = [
            "url": .string(Self.attestationsPath(name, version: version)),
            "provenance": ["predicateType": .string(PublishAttestation.provenancePredicateType(of: bundle))],
        ]
        let publish = try PublishAttestation.bundle(name: name, version: version, sha512Hex: digest.sha512Hex,
                                                    registry: registryURL, keyring: keyring, log: world?.transparencyLog)
        return (dist, PublishAttestation.document(publish: publish, provenance: bundle))
    }

    /// The bundle's signer, verified as npm's registry verifies it (nil when the registry has no
    /// world to verify against); a self-hosted runner or a repository that is not public is
    /// refused with npm's 422.
    private func verifiedSigner(_ bundle: JSONValue, package: String) throws(RegistryError) -> ProvenanceSigner? {
        guard let checker = world?.provenanceSigners else { return nil }
        func refuse(_ reason: String) -> RegistryError { .unprocessable(package: package, reason: "Error verifying sigstore provenance bundle: " + reason) }
        let signer: ProvenanceSigner
        do { signer = try checker.signer(of: bundle) } catch { throw refuse("\(error)") }
        guard signer.repository != nil else { throw refuse("the signing certificate names no source repository (1.3.6.1.4.1.57264.1.12)") }
        guard signer.runnerEnvironment == "github-hosted" else {
            throw refuse("Unsupported GitHub Actions runner environment: \"\(signer.runnerEnvironment ?? "")\". Only \"github-hosted\" runners are supported when publishing with provenance.")
        }
        if let visibility = signer.repositoryVisibility, visibility != "public" {
            throw refuse("Unsupported GitHub Actions source repository visibility: \"\(visibility)\". Only public source repositories are supported when publishing with provenance.")
        }
        return signer
    }

    /// The stored attestations document of `name@version`, or nil when the packument lists no such
    /// version or its `dist` advertises none: a publish killed before its packument leaves a file
    /// nothing may serve, even after a later publish of that version without provenance (found by
    /// review: the old file was served for the new bytes).
    public func attestations(for name: PackageName, version: String) throws(RegistryError) -> Data? {
        try PackageName.validate(version: version)
        guard let stored = ((try? packument(for: name)) ?? nil)?.versions[version], stored["dist"]?["attestations"] != nil else { return nil }
        return try AtomicFile.read(attestationsURL(name, version: version), limit: RegistryLimits.maxPackumentBytes)
    }

    /// Registry-relative path of a version's attestations (`-/npm/v1/attestations/@scope%2fname@1.0.0`).
    static func attestationsPath(_ name: PackageName, version: String) -> String {
        "-/npm/v1/attestations/\(name.escaped)@\(version)"
    }

    func attestationsURL(_ name: PackageName, version: String) -> URL {
        URL(fileURLWithPath: "\(packagePath(name))/attestations/\(name.unscoped)-\(version).json", isDirectory: false)
    }
}

extension JSONValue {
    /// Parses a stored provenance bundle.
    static func parseBundle(_ data: Data, package: String) throws(RegistryError) -> JSONValue {
        guard let bundle = try? JSONValue.parse(data, maxDepth: RegistryLimits.maxJSONDepth), bundle.objectValue != nil else {
            throw .invalidPublish(package: package, reason: "the provenance bundle is not a JSON object")
        }
        return bundle
    }
}
