import FoundationEssentials
import Glibc
import Integrity
import NpmModel
import RegistryClient

extension PackageAuditor {
    /// A lockfile digest of an algorithm the registry does not give (a `sha512` beside a legacy
    /// version's `sha1`) is the one npm checks the bytes against (ssri picks the strongest), yet
    /// no signature covers it. It is bound by the bytes: the tarball is fetched, must match what
    /// the registry vouches for, and must hash to every digest of the lockfile's. Found by review:
    /// `sha1-<genuine> sha512-<evil>` installed other bytes and the audit said verified.
    static func unvouchedDigestRefusal(_ target: AuditTarget, dist: Dist, registry: String?, client: RegistryClient) async -> InvalidPackage? {
        guard let locked = target.lockedIntegrity, let registry, let lockedSRI = try? SubresourceIntegrity(locked),
              let registrySRI = try? SubresourceIntegrity(registry),
              lockedSRI.hashes.contains(where: { registrySRI.digest($0.algorithm) == nil }) else { return nil }
        func refusal(_ why: String) -> InvalidPackage {
            InvalidPackage(code: "EINTEGRITY", message: "\(target.id): the lockfile's \(locked) names a digest the registry does not vouch for (it gives \(registry)), and npm checks the bytes against that one alone: \(why)", target: target)
                .with(resolved: dist.tarball, integrity: registry)
        }
        // Streamed to a private file, never held whole (found by a re-attack: twenty audits in
        // flight each held a 512 MiB tarball).
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("verify-install-audit-\(UUID().uuidString).tgz")
        defer { _ = unlink(file.path) }
        do {
            let bytes = try await client.tarball(url: dist.tarball, integrity: registrySRI, subject: target.id, into: file)
            do { try bytes.confirm(lockedSRI, subject: target.id, claim: "the lockfile") } catch { return refusal("\(error)") }
            return nil
        } catch {
            return refusal("the registry's tarball could not be fetched to compare them: \(error)")
        }
    }
}
