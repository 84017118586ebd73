import FoundationEssentials
import RegistryClient
import NpmModel
import NpmVerify
import SigstoreVerify

extension ProvenanceGate {
    /// The verified tarball's own package.json `repository` must name the repository its
    /// provenance was built from: a warning, an error where provenance is required or pinned.
    func checkDeclaredRepository(_ manifest: UnpackedManifest?, name: String, version: String, builtBy: ProvenanceIdentity?) throws {
        guard let mismatch = DeclaredRepository.mismatch(name: name, version: version, declared: manifest?.repository,
                                                         provenance: builtBy?.repository) else { return }
        if settings.forbidsDowngrade(name) {
            throw InstallError(.verification, mismatch + "; refused because \(requirement(for: name))")
        }
        run.warn(mismatch)
    }

    /// Compares the source repository of the new version with the one that built the version the
    /// project had locked before (`package-lock.json` at the same path). A change is a warning, and
    /// an error where provenance is required or pinned for the package. The locked version's
    /// attestations are verified like any other; a locked version without provenance is not compared.
    func checkRepositoryChange(_ evidence: RegistryEvidence, builtBy: ProvenanceIdentity?, trusted: TrustedMaterial) async throws {
        guard let previous = evidence.previouslyLocked, previous != evidence.version, let now = builtBy?.repository,
              let packument = try? await client.packument(PackageName(evidence.name)),
              let manifest = packument.versions[previous], manifest.dist.attestationsURL != nil,
              let integrity = manifest.dist.integrity else { return }
        let verdicts = try await verify(evidence.name, version: previous, integrity: integrity,
                                        advertised: manifest.dist.provenancePredicateType, trusted: trusted)
        guard let before = verdicts.first(where: { $0.predicateType.hasPrefix("https://slsa.dev/provenance/") })?.identity?.repository,
              !DeclaredRepository.same(DeclaredRepository.normalised(before), DeclaredRepository.normalised(now)) else { return }
        let message = "\(evidence.name)@\(evidence.version) was built from \(now), but the locked version \(previous) was built from \(before): the source repository changed"
        if settings.forbidsDowngrade(evidence.name) {
            throw InstallError(.verification, message + "; refused because \(requirement(for: evidence.name))")
        }
        run.warn(message)
    }
}
