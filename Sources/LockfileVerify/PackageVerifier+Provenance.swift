import SafeJSON
import FoundationEssentials
import NpmModel
import NpmVerify
import SigstoreVerify
import CodedError
import LockfileFormats
import RegistryClient

extension PackageVerifier {
    /// Every attestation under the trusted root, then `--require-provenance`, the policy and downgrades.
    func checkProvenance(_ name: PackageName, manifest: Manifest, packument: Packument, keys: [RegistryKey],
                         into result: inout PackageResult) async throws {
        let id = "\(manifest.name)@\(manifest.version)"
        if manifest.dist.attestationsURL != nil {
            guard let trusted = settings.trustedRoot else {
                result.failures.append(Failure(.trustedRootMissing, "\(id) advertises attestations but no Sigstore trusted root is configured (--trusted-root)"))
                return
            }
            if let integrity = manifest.dist.integrity {
                // Withheld evidence is a verdict, not an outage (exit 1, not 3): the registry has just
                // served the package's document (found by review).
                let url: String, body: Data
                do { (url, body) = try await client.attestations(name, version: manifest.version) } catch {
                    result.failures.append(Failure(.attestationInvalid, "\(id): its attestations could not be fetched: \(error)"))
                    return
                }
                guard let verified = verifyAttestations(body, url: url, id: id, integrity: integrity, trusted: trusted, keys: keys,
                                                        into: &result) else { return }
                // As install does: the provenance the packument advertises must be in the response, or
                // a mirror could strip "who built it" and leave only the publish attestation.
                if let advertised = manifest.dist.provenancePredicateType, !verified.contains(advertised) {
                    result.failures.append(Failure(.attestationInvalid, "\(id): the registry advertises a \(advertised) attestation (dist.attestations.provenance) but the response from \(url) carries none"))
                    return
                }
                if result.provenance == nil, let earlier = ProvenanceDowngrade.earlier(in: packument, before: manifest.version, provenanceOnly: true) {
                    recordDowngrade(ProvenanceDowngrade.message(name: manifest.name, version: manifest.version, earlier: earlier, attested: true),
                                    name: manifest.name, into: &result)
                }
            } else {
                // Attestations bind a sha512 digest: with none to bind, they prove nothing (install refuses the same).
                result.failures.append(Failure(.attestationInvalid, "\(id) advertises attestations but has no dist.integrity for them to bind"))
            }
        } else if let earlier = ProvenanceDowngrade.earlier(in: packument, before: manifest.version) {
            recordDowngrade(ProvenanceDowngrade.message(name: manifest.name, version: manifest.version, earlier: earlier),
                            name: manifest.name, into: &result)
        }
        if result.provenance == nil, settings.requireProvenance {
            result.failures.append(Failure(.provenanceMissing, "\(id): has no verified provenance, and --require-provenance is set"))
        }
        do { try settings.policy?.evaluate(result.provenance, name: manifest.name, version: manifest.version) } catch {
            result.failures.append(Failure(error.code == .missingProvenance ? .provenanceMissing : .policyViolation, error.message))
        }
    }

    /// A downgrade fails where provenance is required for `name`, else it is a note.
    private func recordDowngrade(_ message: String, name: String, into result: inout PackageResult) {
        if settings.provenanceRequired(name) {
            result.failures.append(Failure(.provenanceDowngrade, message))
        } else {
            result.notes.append(message)
        }
    }

    /// Records the verdicts; the predicate types that verified, nil when one failed.
    private func verifyAttestations(_ body: Data, url: String, id: String, integrity: String, trusted: TrustedMaterial,
                                    keys: [RegistryKey], into result: inout PackageResult) -> Set<String>? {
        let identity = PackageIdentity(name: result.package.name, version: result.package.version, integrity: integrity)
        let verdicts: [AttestationVerifier.Verdict]
        do { verdicts = try AttestationVerifier(trusted: trusted, keys: keys).verify(response: body, package: identity) } catch {
            result.failures.append(Failure(.attestationInvalid, "\(id): attestations from \(url) do not verify: \(error)"))
            return nil
        }
        for verdict in verdicts {
            switch verdict.result {
            case .failure(let error):
                result.failures.append(Failure(.attestationInvalid, "\(id): attestation \(verdict.predicateType) from \(url) failed at \(verdict.failure ?? "?"): \(error)"))
                return nil
            case .success(let verified):
                result.attestations += 1
                if verdict.predicateType.hasBytePrefix("https://slsa.dev/provenance/"), result.provenance == nil {
                    result.provenance = ProvenanceIdentity(verified)
                }
            }
        }
        return Set(verdicts.map(\.predicateType))
    }

    /// An unexpired exception moves excusable failures aside; an expired one is a failure itself.
    func applyException(to result: inout PackageResult) {
        guard let exception = settings.policy?.exception(for: result.package.name) else { return }
        if exception.isExpired(at: settings.now) {
            result.failures.append(Failure(.exceptionExpired, "\(result.package.id): the policy exception for \(exception.package) (\(exception.reason)) expired after \(exception.until ?? "?"): renew or remove it"))
            return
        }
        result.exception = exception
        result.excused = result.failures.filter { $0.code.excusable }
        result.failures.removeAll { $0.code.excusable }
    }
}
