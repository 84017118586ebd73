import SafeJSON
import CodedError
import FoundationEssentials
import Integrity
import NpmModel
import NpmVerify
import OpenSSLCrypto
import RegistryClient
import SigstoreVerify

/// Verifies every attestation a registry advertises (`dist.attestations`) before a package is
/// placed, as pacote does (PROTOCOLS §3.3) and stricter: each bundle must verify, the provenance
/// identity must satisfy the policy, and packages without provenance must be allowed.
/// Bundle verification runs on the blocking pool, so many packages verify in parallel.
/// The response is fetched from the registry that serves the package
/// (`/-/npm/v1/attestations/<name>@<version>`), not from whatever host `dist.attestations.url` names.
final class ProvenanceGate: Sendable {
    let client: RegistryClient
    private let keys: RegistryKeyStore
    let run: InstallRun
    var settings: ProvenanceSettings { run.provenance }

    /// Where verified attestation responses are kept for later runs; nil to always fetch.
    private let cache: ContentCache?
    /// This run's verdicts per response URL, integrity and advertised type: a version placed at
    /// several paths is fetched and verified once.
    private let verdicts = SingleFlightCache<VerdictKey, [Outcome]>()

    init(client: RegistryClient, keys: RegistryKeyStore, run: InstallRun, cache: ContentCache?) {
        self.client = client
        self.keys = keys
        self.run = run
        self.cache = cache
    }

    /// Tells the trusted logs' keys that `packages` packages are planned. npm attests a package
    /// with two bundles (SLSA provenance, publish attestation), each with a log entry's SET and
    /// checkpoint; the provenance bundle's certificate carries an SCT. (The publish attestation's
    /// registry key is told by `SignatureGate`.)
    func expectVerifications(packages: Int) {
        guard let trusted = settings.trustedRoot else { return }
        for log in trusted.tlogs { log.key.expectVerifications(atLeast: 4 * packages) }
        for log in trusted.ctlogs { log.key.expectVerifications(atLeast: packages) }
    }

    /// The package's provenance; throws (failing the install) on any failed bundle, policy breach,
    /// required-but-missing provenance or forbidden downgrade.
    func check(_ evidence: RegistryEvidence) async throws -> PackageProvenance {
        let subject = evidence.subject
        guard evidence.attestationsURL != nil else { return try await unattested(evidence) }
        guard let trusted = settings.trustedRoot else {
            throw InstallError(.usage, "\(subject) advertises attestations but no Sigstore trusted root is configured to verify them: pass --trusted-root FILE (a trusted_root.json), or --trusted-root public-good for the public npm registry")
        }
        guard let integrity = evidence.integrity else {
            throw InstallError(.verification, "\(subject) advertises attestations but has no dist.integrity to check their subject against")
        }
        let verdicts = try await verify(evidence.name, version: evidence.version, integrity: integrity,
                                        advertised: evidence.advertisedProvenance, trusted: trusted)
        let builtBy = verdicts.first { $0.predicateType.hasBytePrefix("https://slsa.dev/provenance/") && $0.identity != nil }?.identity
        let downgrade = builtBy == nil ? try await downgrade(evidence, attested: true) : nil
        try enforce(builtBy, subject: subject, name: evidence.name, version: evidence.version)
        try await checkRepositoryChange(evidence, builtBy: builtBy, trusted: trusted)
        return PackageProvenance(status: builtBy == nil ? .unverified : .verified, builtBy: builtBy,
                                 attestations: verdicts.map(\.predicateType),
                                 reason: builtBy == nil ? "attestations verified, but none is a SLSA provenance statement" : nil,
                                 downgrade: downgrade)
    }

    /// Verifies every attestation of `name@version` against `integrity`; throws naming the failed step,
    /// or when the response lacks the `advertised` provenance. A response cached by an earlier run
    /// is verified the same way; one that fails or lacks it is discarded and fetched again. Each
    /// response is fetched and verified once per run, however many paths its version is placed at.
    func verify(_ packageName: String, version: String, integrity: String, advertised: String?,
                trusted: TrustedMaterial) async throws -> [Outcome] {
        let name = try PackageName(packageName)
        let key = VerdictKey(url: client.attestationsURL(for: name, version: version), integrity: integrity, advertised: advertised)
        return try await verdicts.value(for: key) {
            try await self.fetchAndVerify(name, version: version, url: key.url, integrity: integrity, advertised: advertised, trusted: trusted)
        }
    }

    private struct VerdictKey: Hashable, Sendable {
        let url: String
        let integrity: String
        let advertised: String?
    }

    /// `url` is where this version's attestations are cached under (the registry's own endpoint).
    private func fetchAndVerify(_ name: PackageName, version: String, url: String, integrity: String, advertised: String?,
                                trusted: TrustedMaterial) async throws -> [Outcome] {
        let packageName = name.description
        let registryKeys = try await keys.keys(for: name) ?? []
        let identity = PackageIdentity(name: packageName, version: version, integrity: integrity)
        let verifier = AttestationVerifier(trusted: trusted, keys: registryKeys)
        if let cache, let verdicts = try await verifyCached(cache, url: url, identity: identity, advertised: advertised, verifier: verifier) {
            return verdicts
        }
        let (fetchedFrom, body) = try await client.attestations(name, version: version)
        let verdicts = try await timed { () throws(InstallError) in try Self.verify(body, from: fetchedFrom, identity, verifier) }
        if let advertised, !verdicts.contains(where: { $0.predicateType == advertised }) {
            throw InstallError(.verification, "\(identity.name)@\(identity.version): the registry advertises a \(advertised) attestation (dist.attestations.provenance) but the response from \(fetchedFrom) carries none")
        }
        cache?.storeAttestations(body, url: url, integrity: integrity)
        return verdicts
    }

    /// What the cache held for one response: nothing, an entry that failed (now removed), or verdicts.
    private enum CachedVerdicts: Sendable { case absent, notOurs, discarded, verified([Outcome]) }

    /// The verdicts of the cached response, when there is one, this user's key tags it and all of it
    /// verifies; nil otherwise (a failing entry is removed, with a warning).
    private func verifyCached(_ cache: ContentCache, url: String, identity: PackageIdentity, advertised: String?,
                              verifier: AttestationVerifier) async throws -> [Outcome]? {
        let cached = try await timed { () throws(InstallError) -> CachedVerdicts in
            let body: Data
            switch cache.attestations(url: url, integrity: identity.integrity) {
            case .absent: return .absent
            case .refused: return .notOurs
            case .found(let found): body = found
            }
            if let verdicts = try? Self.verify(body, from: url, identity, verifier),
               advertised.map({ type in verdicts.contains { $0.predicateType == type } }) ?? true {
                return .verified(verdicts)
            }
            cache.discardAttestations(url: url, integrity: identity.integrity)
            return .discarded
        }
        switch cached {
        case .absent: return nil
        case .verified(let verdicts): return verdicts
        case .notOurs:
            run.warn("\(identity.name)@\(identity.version): the cached attestations from \(url) were not written by verify-install for this user (no regular file carrying the tag of its key); discarded and fetched again")
            return nil
        case .discarded:
            run.warn("\(identity.name)@\(identity.version): the cached attestations from \(url) no longer verify (or lack the advertised provenance); discarded and fetched again")
            return nil
        }
    }

    /// Runs `work` on the blocking pool, timed there (queueing for a thread is not counted as work).
    private func timed<T: Sendable>(_ work: @escaping @Sendable () throws(InstallError) -> T) async throws -> T {
        try await run.pool.run { [clock = run.clock] in
            let start = ContinuousClock.now
            defer { clock.add("attestations", ContinuousClock.now - start) }
            return try work()
        }
    }

    /// Every verdict of `body`; throws naming the failed step of the first bundle that fails.
    private static func verify(_ body: Data, from url: String, _ identity: PackageIdentity,
                               _ verifier: AttestationVerifier) throws(InstallError) -> [Outcome] {
        let subject = "\(identity.name)@\(identity.version)"
        let verdicts: [Outcome]
        do { verdicts = try verifier.verify(response: body, package: identity).map(Outcome.init) } catch {
            throw InstallError(.verification, "\(subject): attestations from \(url) failed at \(Outcome.step(of: error)): \(Outcome.reason(of: error))")
        }
        if let failed = verdicts.first(where: { $0.failedStep != nil }) {
            throw InstallError(.verification, "\(subject): attestation \(failed.predicateType) from \(url) failed at \(failed.failedStep ?? ""): \(failed.reason ?? "")")
        }
        return verdicts
    }

    /// A version without attestations: allowed unless required; a downgrade is flagged.
    private func unattested(_ evidence: RegistryEvidence) async throws -> PackageProvenance {
        let downgrade = try await downgrade(evidence, attested: false)
        try enforce(nil, subject: "\(evidence.name)@\(evidence.version)", name: evidence.name, version: evidence.version)
        return PackageProvenance(status: .unverified, reason: "no provenance", downgrade: downgrade)
    }

    /// A provenance downgrade of a version without (`attested`: with attestations but without
    /// SLSA provenance) against earlier versions: refused when the settings forbid it, else a warning.
    private func downgrade(_ evidence: RegistryEvidence, attested: Bool) async throws -> String? {
        guard let name = try? PackageName(evidence.name), let packument = try? await client.packument(name),
              let earlier = ProvenanceDowngrade.earlier(in: packument, before: evidence.version, provenanceOnly: attested) else { return nil }
        let downgrade = ProvenanceDowngrade.message(name: evidence.name, version: evidence.version, earlier: earlier, attested: attested)
        if settings.forbidsDowngrade(evidence.name) {
            throw InstallError(.verification, downgrade + "; refused because \(requirement(for: evidence.name))")
        }
        run.warn(downgrade)
        return downgrade
    }

    /// `--require-provenance`, then the policy.
    private func enforce(_ identity: ProvenanceIdentity?, subject: String, name: String, version: String) throws {
        if identity == nil, settings.requireProvenance {
            throw InstallError(.verification, "\(subject): has no verified provenance, and --require-provenance is set")
        }
        do { try settings.policy?.evaluate(identity, name: name, version: version) } catch {
            throw InstallError(.verification, error.message)
        }
    }

    func requirement(for name: String) -> String {
        if settings.requireProvenance { return "--require-provenance is set" }
        if let policy = settings.policy, policy.requiresProvenance(name) { return "\(policy.source) requires provenance for \(name)" }
        return "\(settings.policy?.source ?? "the policy") pins who may build \(name)"
    }
}
