import SafeJSON
import FoundationEssentials
import RegistryClient
import NpmModel
import NpmVerify
import SigstoreVerify

extension ProvenanceGate {
    /// The verified tarball's own package.json `repository` must name the repository its
    /// provenance was built from: a warning, an error where provenance is required or pinned.
    func checkDeclaredRepository(_ manifest: UnpackedManifest?, name: String, version: String, builtBy: ProvenanceIdentity?) throws {
        guard let builtBy, let mismatch = DeclaredRepository.mismatch(name: name, version: version, declared: manifest?.repository,
                                                                      builtBy: builtBy) else { return }
        if settings.forbidsDowngrade(name) {
            throw InstallError(.verification, mismatch + "; refused because \(requirement(for: name))")
        }
        run.warn(mismatch)
    }

    /// Compares the source repository of the new version with the one that built the version the
    /// project had locked before (`package-lock.json` at the same path). A change, or a new
    /// provenance that names no repository, is a warning, and an error where provenance is required
    /// or pinned for the package. The locked version's attestations are verified like any other; a
    /// locked version that shows no provenance now cannot be compared, which is said in a warning.
    func checkRepositoryChange(_ evidence: RegistryEvidence, builtBy: ProvenanceIdentity?, trusted: TrustedMaterial) async throws {
        guard let previous = evidence.previouslyLocked, previous != evidence.version, let builtBy,
              let packument = try? await client.packument(PackageName(evidence.name)),
              let manifest = packument.versions[previous] else { return }
        guard manifest.dist.attestationsURL != nil, let integrity = manifest.dist.integrity else {
            run.warn("\(evidence.name)@\(evidence.version): the locked version \(previous) shows no provenance now, so whether the source repository changed cannot be told (pin it with --policy to be sure)")
            return
        }
        let verdicts = try await verify(evidence.name, version: previous, integrity: integrity,
                                        advertised: manifest.dist.provenancePredicateType, trusted: trusted)
        guard let before = verdicts.first(where: { $0.predicateType.hasBytePrefix("https://slsa.dev/provenance/") })?.identity?.repository,
              !DeclaredRepository.same(DeclaredRepository.normalised(before), builtBy.repository.flatMap(DeclaredRepository.normalised)) else { return }
        let now = builtBy.repository.map { "was built from \($0)" } ?? "has provenance that names no source repository (signed by \(builtBy.signer))"
        let message = "\(evidence.name)@\(evidence.version) \(now), but the locked version \(previous) was built from \(before): the source repository changed"
        if settings.forbidsDowngrade(evidence.name) {
            throw InstallError(.verification, message + "; refused because \(requirement(for: evidence.name))")
        }
        run.warn(message)
    }
}

extension ProvenanceIdentity {
    /// Who signed, for messages: the certificate's identity and issuer.
    var signer: String {
        "\(subjectAlternativeName ?? "an unnamed identity") from \(issuer ?? "an unnamed issuer")"
    }
}
