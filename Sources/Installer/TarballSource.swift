import FoundationEssentials
import Integrity
import NpmModel
import RegistryClient

/// Where a package's bytes come from and what they must hash to.
struct TarballTarget: Sendable {
    let name: String
    let version: String
    let url: String
    let integrity: SubresourceIntegrity
    var subject: String { "\(name)@\(version)" }
}

/// Gets verified tarballs: from the cache when a re-checked entry exists, else from the registry.
struct TarballSource: Sendable {
    let client: RegistryClient
    let cache: ContentCache
    /// Cache reads re-hash whole tarballs and writes touch the disk: both run on the run's
    /// blocking pool, off the cooperative pool; a discarded cache entry is one of its warnings.
    let run: InstallRun

    /// The integrity npm checks for `manifest`: `dist.integrity`, else a sha1 SRI from `dist.shasum`
    /// (the report warns of SHA-1 alone), else none at all, which fails closed.
    static func target(for manifest: Manifest) throws -> TarballTarget {
        let subject = "\(manifest.name)@\(manifest.version)"
        let integrity: SubresourceIntegrity
        if let text = manifest.dist.integrity {
            do { integrity = try SubresourceIntegrity(text) } catch {
                throw InstallError(.verification, "\(subject): the registry's dist.integrity is refused: \(error)")
            }
        } else if let shasum = manifest.dist.shasum {
            do { integrity = try SubresourceIntegrity.fromHexSHA1(shasum) } catch {
                throw InstallError(.verification, "\(subject): the registry's dist.shasum is refused: \(error)")
            }
        } else {
            throw InstallError(.verification, "\(subject) has neither dist.integrity nor dist.shasum at \(manifest.dist.tarball): refusing to install unverifiable bytes")
        }
        if let why = NpmSource.remoteTarballRefusal(manifest.dist.tarball) {
            throw InstallError(.verification, "\(subject): the registry's dist.tarball \(manifest.dist.tarball) would be the lockfile's resolved, and npm does not read it as a tarball URL (\(why)): npm ci would fetch something else, a git repository without an integrity check or a local folder, instead of the tarball verified here; refusing")
        }
        return TarballTarget(name: manifest.name, version: manifest.version, url: manifest.dist.tarball, integrity: integrity)
    }

    /// Verified bytes for `target` in the private `staging` file, and whether they came from the cache.
    /// A cache entry is copied into `staging` and re-hashed as it is copied; a download streams there.
    /// Downloaded bytes are not cached yet: the caller ``store(_:)``s them once every claim agrees.
    func fetch(_ target: TarballTarget, into staging: URL) async throws -> (VerifiedBytes, fromCache: Bool) {
        let (cached, discarded) = try await run.pool.run { [cache] in cache.read(target.integrity, subject: target.subject, into: staging) }
        if let discarded { run.warn("\(target.subject): the cache entry \(discarded); discarded and fetched again") }
        if let cached { return (cached, true) }
        return (try await client.tarball(url: target.url, integrity: target.integrity, subject: target.subject, into: staging), false)
    }

    /// Caches downloaded bytes that every claim about them confirmed (a lockfile's SHA-1 alone
    /// never puts bytes the registry's sha512 refuses into the cache).
    func store(_ verified: VerifiedBytes) async throws {
        try await run.pool.run { [cache] in cache.write(verified) }
    }
}
