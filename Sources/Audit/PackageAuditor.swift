import FoundationEssentials
import Integrity
import NpmModel
public import NpmVerify
public import RegistryClient

/// Verifies one installed package as pacote's `manifest()` does with `verifySignatures` and
/// `verifyAttestations` (PROTOCOLS §3): the full packument, every `dist.signatures` entry against
/// the registry keys (expiry judged at `time[version]`), then, when `dist.attestations` is present,
/// the attestations response. The first failure decides, in pacote's order.
public struct PackageAuditor: Sendable {
    let client: RegistryClient
    let keys: RegistryKeyStore
    let trustedRoot: TrustedRootSource
    let policy: (any ProvenancePolicyCheck)?

    public init(client: RegistryClient, keys: RegistryKeyStore, trustedRoot: TrustedRootSource,
                policy: (any ProvenancePolicyCheck)?) {
        self.client = client
        self.keys = keys
        self.trustedRoot = trustedRoot
        self.policy = policy
    }

    public func audit(_ target: AuditTarget) async -> PackageAudit {
        var result = PackageAudit(target: target)
        do {
            let registryKeys = try await registryKeys(of: target)
            result.registryHasKeys = !(registryKeys ?? []).isEmpty
            try await verify(target, keys: registryKeys, into: &result)
        } catch {
            result.invalid = InvalidPackage(code: error.code, message: error.message, target: target)
            result.invalid?.unreachable = error.unreachable
        }
        return result
    }

    private func verify(_ target: AuditTarget, keys: [RegistryKey]?, into result: inout PackageAudit) async throws(FetchFailure) {
        if let refusal = Self.substitutionRefusal(target) {
            result.invalid = refusal
            return
        }
        let (manifest, publishTime) = try await manifest(of: target)
        let dist = manifest.dist
        let registryIntegrity = IntegrityString.of(integrity: dist.integrity, shasum: dist.shasum)
        if let refusal = LockedSource.refusal(target, tarball: dist.tarball, defaultRegistry: client.configuration.registry)
            ?? Self.integrityRefusal(target, dist: dist, registry: registryIntegrity) {
            result.invalid = refusal
            return
        }
        if let refusal = await Self.unvouchedDigestRefusal(target, dist: dist, registry: registryIntegrity, client: client) {
            result.invalid = refusal
            return
        }
        guard let integrity = registryIntegrity else {
            // pacote verifies nothing without an integrity; npm then reports the signature missing.
            if result.registryHasKeys { result.missing = Self.missing(target, integrity: nil, resolved: dist.tarball) }
            return
        }
        if dist.signatures.isEmpty {
            if result.registryHasKeys { result.missing = Self.missing(target, integrity: integrity, resolved: dist.tarball) }
        } else if let failure = SignatureRule.check(target, integrity: integrity, signatures: dist.signatures,
                                                    keys: keys ?? [], publishTime: publishTime) {
            result.invalid = failure.with(resolved: dist.tarball, integrity: integrity)
            return
        } else {
            result.signaturesVerified = true
        }
        var provenance: VerifiedProvenance?
        if let url = dist.attestationsURL {
            let body = try await attestations(of: target, advertised: url)
            let material = try await trustedRoot.material()
            let outcome = AttestationRule(trusted: material, keys: keys ?? []).check(target, integrity: integrity, response: body,
                                                                                        advertised: dist.provenancePredicateType)
            switch outcome {
            case .invalid(let invalid):
                result.invalid = invalid.with(resolved: dist.tarball, integrity: integrity)
                return
            case .verified(let built):
                result.attestationsVerified = true
                provenance = built
            }
        }
        result.provenance = provenance?.summary
        if let policy, let reason = policy.evaluate(target, provenance: provenance) {
            let message = reason.contains(target.id) ? reason : "\(target.id) does not meet the provenance policy: \(reason)"
            result.invalid = InvalidPackage(code: InvalidPackage.policyCode, message: message, target: target)
                .with(resolved: dist.tarball, integrity: integrity)
        }
    }

    /// A folder that holds another package than its dependency asks for, with no `npm:` alias or
    /// override naming it (found by review: a lockfile entry's `name` put `evil` at
    /// `node_modules/lodash`, npm ci installed it, and the audit passed it as a verified `evil`,
    /// out of reach of the policy's rules for `lodash`). npm's `ls` calls it invalid.
    static func substitutionRefusal(_ target: AuditTarget) -> InvalidPackage? {
        guard let asked = target.askedName else { return nil }
        return InvalidPackage(code: substitutedCode, message: "\(target.location) holds \(target.id), but its dependency asks for \(asked) and no npm: alias or override names \(target.name): Node loads it as \(asked)", target: target)
    }

    /// Our code for a folder holding another package than its dependency asks for.
    public static let substitutedCode = "EPACKAGESUBSTITUTED"

    /// The integrity rules install applies too (`Integrity`): each string parses strictly, and the
    /// lockfile's and the registry's do not conflict. Stricter than npm's audit (which ignores the
    /// lockfile): a registry that now vouches for other bytes than were installed is pacote's
    /// install-time `EINTEGRITY`, with its wording.
    static func integrityRefusal(_ target: AuditTarget, dist: Dist, registry: String?) -> InvalidPackage? {
        if let refusal = oneDigestRule(target, locked: target.lockedIntegrity, registry: dist.integrity) {
            return refusal.with(resolved: dist.tarball, integrity: dist.integrity)
        }
        guard let locked = target.lockedIntegrity, let registry, let lockedSRI = try? SubresourceIntegrity(locked),
              let registrySRI = try? SubresourceIntegrity(registry) else { return nil }
        // Audit reads no bytes, so two strings with no algorithm in common (the registry now saying
        // only sha1 where the lockfile has sha512) bind nothing together (found by review).
        let unbound = !lockedSRI.sharesAlgorithm(with: registrySRI)
        guard lockedSRI.conflicts(with: registrySRI) || unbound else { return nil }
        let why = unbound ? ", which share no algorithm to compare" : ""
        return InvalidPackage(code: "EINTEGRITY", message: "Integrity checksum failed for \(target.id): the lockfile has \(locked) but the registry now has \(registry)\(why).", target: target)
            .with(resolved: dist.tarball, integrity: registry)
    }

    /// Stricter than npm: an integrity string that holds two digests of one algorithm (or a
    /// malformed one) vouches for no single tarball, whether the lockfile or the registry wrote it.
    static func oneDigestRule(_ target: AuditTarget, locked: String?, registry: String?) -> InvalidPackage? {
        for (field, text) in [("the lockfile's integrity", locked), ("the registry's dist.integrity", registry)] {
            guard let text else { continue }
            do { _ = try SubresourceIntegrity(text) } catch {
                return InvalidPackage(code: "EINTEGRITY", message: "\(target.id): \(field) is refused: \(error)", target: target)
            }
        }
        return nil
    }

    static func missing(_ target: AuditTarget, integrity: String?, resolved: String?) -> MissingSignature {
        MissingSignature(integrity: integrity, location: target.location, name: target.name,
                         registry: target.registry, resolved: resolved, version: target.version)
    }

}

extension InvalidPackage {
    /// The same finding with pacote's `resolved` and `integrity` filled in.
    func with(resolved: String?, integrity: String?) -> InvalidPackage {
        var copy = self
        copy.resolved = resolved
        copy.integrity = integrity
        return copy
    }
}
