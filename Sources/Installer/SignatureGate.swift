import FoundationEssentials
import Integrity
import NpmModel
import NpmVerify
import OpenSSLCrypto
import RegistryClient

/// Checks `dist.signatures` for every package whose registry publishes keys
/// (`/-/npm/v1/keys`), before its tarball is placed. A registry with keys and a version
/// without a valid signature fails the install; a registry without keys is reported.
final class SignatureGate: Sendable {
    enum Outcome: Sendable, Equatable {
        /// The signature verified under keys from `keySource` (``RegistryKeyStore/source(for:)``).
        case verified(keySource: String)
        case registryHasNoKeys
    }

    private let client: RegistryClient
    private let keys: RegistryKeyStore
    private let run: InstallRun

    init(client: RegistryClient, keys: RegistryKeyStore, run: InstallRun) {
        self.client = client
        self.keys = keys
        self.run = run
    }

    /// Tells the registry's most used keys so far that `packages` packages are planned: each
    /// one's registry signature verifies under them, and with provenance on its publish
    /// attestation too. At most `keysTold`: a registry may list many keys and sign with each a
    /// few times (found by review), and each key told could cost a table (21 ms) after only 16
    /// verifications.
    func expectVerifications(packages: Int) {
        let perPackage = run.provenance.trustedRoot == nil ? 1 : 2
        let used = keys.knownKeys.map(\.publicKey).filter { $0.verificationsSoFar > 0 }
        for key in used.sorted(by: { $0.verificationsSoFar > $1.verificationsSoFar }).prefix(Self.keysTold) {
            key.expectVerifications(atLeast: perPackage * packages)
        }
    }

    /// How many registry keys `expectVerifications` tells at most (npm's registry signs with one).
    static let keysTold = 2

    /// Verifies `evidence`; the verification itself (not the wait for keys) is timed into the run's clock.
    func check(_ evidence: RegistryEvidence) async throws -> Outcome {
        let name = try PackageName(evidence.name)
        guard let verifier = try await verifier(for: name) else { return .registryHasNoKeys }
        guard let integrity = evidence.integrity else {
            // Nothing to sign over: the registry publishes keys, so this is an unsigned version.
            throw InstallError(.verification, "registry signature check failed: \(evidence.name)@\(evidence.version) has no dist.integrity, so no registry signature can cover it, but its registry publishes keys")
        }
        do { _ = try SubresourceIntegrity(integrity) } catch {
            throw InstallError(.verification, "registry signature check failed: \(evidence.name)@\(evidence.version) dist.integrity is refused: \(error)")
        }
        let expiring = Set(verifier.keys.filter { $0.expires != nil }.map(\.keyid))
        var publishTime: Date?
        if evidence.signatures.contains(where: { expiring.contains($0.keyid) }) {
            // Expiry is judged against the publish time, which only the full packument carries.
            let time = try await client.fullPackument(name).time[evidence.version]
            publishTime = RegistryDate.publishTime(time)
        }
        let start = ContinuousClock.now
        defer { run.clock.add("signature checks", ContinuousClock.now - start) }
        do {
            try verifier.verify(name: evidence.name, version: evidence.version, integrity: integrity,
                                signatures: evidence.signatures, publishTime: publishTime)
        } catch {
            throw InstallError(.verification, "registry signature check failed: \(error)")
        }
        return .verified(keySource: keys.source(for: name))
    }

    private func verifier(for name: PackageName) async throws -> RegistrySignatureVerifier? {
        try await keys.keys(for: name).map { RegistrySignatureVerifier(keys: $0) }
    }
}
