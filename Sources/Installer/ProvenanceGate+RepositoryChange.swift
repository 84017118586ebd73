import SafeJSON
import FoundationEssentials
import Integrity
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
    /// or pinned for the package. The locked version's attestations are verified like any other. A
    /// locked version the registry no longer lists, or shows without provenance, cannot be compared:
    /// a warning, and an error where provenance is required or pinned (found by review: a registry
    /// that dropped the locked version, or its attestations, made the refusal go away).
    func checkRepositoryChange(_ evidence: RegistryEvidence, builtBy: ProvenanceIdentity?, trusted: TrustedMaterial) async throws {
        guard let previous = evidence.previouslyLocked, previous != evidence.version, let builtBy else { return }
        let packument = try? await client.packument(PackageName(evidence.name))
        guard let manifest = packument?.versions[previous] else {
            return try cannotCompare(evidence, previous, because: "is no longer listed by the registry")
        }
        guard manifest.dist.attestationsURL != nil, let integrity = manifest.dist.integrity else {
            return try cannotCompare(evidence, previous, because: "shows no provenance now")
        }
        // Its builder is read from attestations over the bytes the lockfile locked (found by review:
        // the registry's word alone chose which bytes, and so which attestations, spoke for it).
        if let locked = evidence.previouslyLockedIntegrity.flatMap({ try? SubresourceIntegrity($0) }),
           let listed = try? SubresourceIntegrity(integrity), locked.conflicts(with: listed) {
            return try cannotCompare(evidence, previous, because: "is listed with other bytes (\(listed)) than package-lock.json locked (\(locked))")
        }
        let verdicts = try await verify(evidence.name, version: previous, integrity: integrity,
                                        advertised: manifest.dist.provenancePredicateType, trusted: trusted)
        // A response without the old version's SLSA provenance (or one no certificate names a
        // repository in) cannot be compared either (found by a re-attack: it passed as "unchanged").
        // The first certificate-signed one, as `check` reads it: a key-signed statement names no build.
        guard let beforeBuild = verdicts.first(where: { $0.predicateType.hasBytePrefix("https://slsa.dev/provenance/") && $0.identity != nil })?.identity,
              let before = beforeBuild.repository else {
            return try cannotCompare(evidence, previous, because: "shows no provenance that names its source repository now")
        }
        guard !Self.sameRepository(beforeBuild, builtBy) else { return }
        // Under one name, the ids tell the two repositories apart.
        let (idsNow, idsBefore) = Self.sameName(beforeBuild, builtBy) ? (builtBy.repositoryIDs, beforeBuild.repositoryIDs) : ("", "")
        let now = builtBy.repository.map { "was built from \($0)\(idsNow)" } ?? "has provenance that names no source repository (signed by \(builtBy.signer))"
        let message = "\(evidence.name)@\(evidence.version) \(now), but the locked version \(previous) was built from \(before)\(idsBefore): the source repository changed"
        if settings.forbidsDowngrade(evidence.name) {
            throw InstallError(.verification, message + "; refused because \(requirement(for: evidence.name))")
        }
        run.warn(message)
    }

    /// One source repository: the same URL, and the same repository and owner ids and issuer
    /// wherever both certificates give them (found by review: a repository deleted and created
    /// again under the same name, by whoever holds the name now, passed as unchanged).
    static func sameRepository(_ before: ProvenanceIdentity, _ now: ProvenanceIdentity) -> Bool {
        func agree(_ a: String?, _ b: String?) -> Bool { a == nil || b == nil || a == b }
        return sameName(before, now) && agree(before.repositoryID, now.repositoryID)
            && agree(before.repositoryOwnerID, now.repositoryOwnerID) && agree(before.issuer, now.issuer)
    }

    /// The same repository URL, once normalised.
    static func sameName(_ before: ProvenanceIdentity, _ now: ProvenanceIdentity) -> Bool {
        DeclaredRepository.same(before.repository.flatMap(DeclaredRepository.normalised), now.repository.flatMap(DeclaredRepository.normalised))
    }

    private func cannotCompare(_ evidence: RegistryEvidence, _ previous: String, because reason: String) throws {
        let message = "\(evidence.name)@\(evidence.version): the locked version \(previous) \(reason), so whether the source repository changed cannot be told"
        let pins = settings.policy?.rules(for: evidence.name).pins ?? [:]
        if pins[.repository] != nil || pins[.repositoryId] != nil { return }  // the policy already says who may build it
        if settings.forbidsDowngrade(evidence.name) {
            throw InstallError(.verification, message + "; refused because \(requirement(for: evidence.name)) (pin the repository with --policy to accept the new version)")
        }
        run.warn(message + " (pin it with --policy to be sure)")
    }
}

extension ProvenanceIdentity {
    /// Who signed, for messages: the certificate's identity and issuer.
    var signer: String {
        "\(subjectAlternativeName ?? "an unnamed identity") from \(issuer ?? "an unnamed issuer")"
    }

    /// The repository's ids for messages (` (repository id 1, owner id 2)`), empty when it has none.
    var repositoryIDs: String {
        let ids = [repositoryID.map { "repository id \($0)" }, repositoryOwnerID.map { "owner id \($0)" }].compactMap { $0 }
        return ids.isEmpty ? "" : " (\(ids.joined(separator: ", ")))"
    }
}
