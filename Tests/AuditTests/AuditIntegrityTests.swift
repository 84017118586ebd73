@testable import Audit
import CurlTransport
import Foundation
import Integrity
import OpenSSLCrypto
import RegistryClient
import NpmModel
import SafeJSON
import Testing

/// Found by review: audit reads no bytes, so a registry that now vouches only for `sha1-<other
/// bytes>` where the lockfile recorded `sha512-…` bound nothing to the installed package, and the
/// audit passed. Two strings with no algorithm in common are an integrity failure.
@Suite struct AuditIntegrityTests {
    @Test func aRegistryIntegrityThatSharesNoAlgorithmWithTheLockfileFails() throws {
        let sha512 = "sha512-" + String(repeating: "A", count: 86) + "=="
        let target = AuditTarget(name: "a", version: "1.0.0", location: "node_modules/a", type: .dependencies,
                                 registry: "http://r/", lockedIntegrity: sha512)
        func dist(_ integrity: String) throws -> Dist {
            try Dist(json: ["tarball": "http://r/a/-/a-1.0.0.tgz", "integrity": .string(integrity)], context: "test")
        }
        let downgraded = try dist("sha1-qZk+NkcGgWq6PiVxeFDCbJzQ2J0=")
        let refusal = PackageAuditor.integrityRefusal(target, dist: downgraded, registry: downgraded.integrity)
        #expect(refusal?.code == "EINTEGRITY")
        #expect(refusal?.message.contains("share no algorithm") == true)
        let same = try dist(sha512)
        #expect(PackageAuditor.integrityRefusal(target, dist: same, registry: same.integrity) == nil)
    }

    /// Found by review: for a legacy version the registry vouches only for `sha1`, and npm checks
    /// the bytes against the lockfile's strongest digest alone, so `sha1-<genuine> sha512-<evil>`
    /// installed other bytes. The lockfile's extra digest is now held to the registry's tarball.
    @Test func aLockfileDigestTheRegistryDoesNotVouchForIsHeldToTheBytes() async throws {
        let genuine = Data("the genuine tarball".utf8), evil = Data("other bytes".utf8)
        let server = try await StaticRegistry.start(["/a/-/a-1.0.0.tgz": genuine])
        let transport = try CurlHTTPClient()
        defer { transport.shutdown() }
        let client = RegistryClient(configuration: RegistryConfiguration(registry: server.baseURL), transport: transport)
        let sha1 = SubresourceIntegrity(hashes: [.init(algorithm: .sha1, digest: Digest.hash(.sha1, genuine))]).description
        let dist = try Dist(json: ["tarball": .string(server.baseURL + "a/-/a-1.0.0.tgz"), "integrity": .string(sha1)], context: "test")
        func refusal(_ lockedSHA512: Data) async -> InvalidPackage? {
            let sha512 = SubresourceIntegrity(hashes: [.init(algorithm: .sha512, digest: Digest.hash(.sha512, lockedSHA512))]).description
            let target = AuditTarget(name: "a", version: "1.0.0", location: "node_modules/a", type: .dependencies,
                                     registry: server.baseURL, lockedIntegrity: "\(sha1) \(sha512)")
            #expect(PackageAuditor.integrityRefusal(target, dist: dist, registry: sha1) == nil, "the strings alone do not conflict")
            return await PackageAuditor.unvouchedDigestRefusal(target, dist: dist, registry: sha1, client: client)
        }
        let tampered = await refusal(evil)
        #expect(tampered?.code == "EINTEGRITY")
        #expect(tampered?.message.contains("names a digest the registry does not vouch for") == true, "\(String(describing: tampered))")
        #expect(await refusal(genuine) == nil, "install writes the sha512 of the bytes that matched sha1 beside it")
        await server.stop()
    }

    /// Found by review: `npm ci` filled a folder from another host because the lockfile named it and
    /// recorded no integrity; the audit checked only the registry copy's signatures.
    @Test func aLockfileEntryWithoutIntegrityOrResolvedElsewhereFails() {
        let tarball = "http://r/a/-/a-1.0.0.tgz"
        func target(integrity: String?, resolved: String?) -> AuditTarget {
            AuditTarget(name: "a", version: "1.0.0", location: "node_modules/a", type: .dependencies, registry: "http://r/",
                        lockedIntegrity: integrity, lockedResolved: resolved, lockedVersion: "1.0.0", isLocked: true)
        }
        let sha512 = "sha512-" + String(repeating: "A", count: 86) + "=="
        let unchecked = LockedSource.refusal(target(integrity: nil, resolved: "http://evil/a.tgz"), tarball: tarball, defaultRegistry: "http://r/")
        #expect(unchecked?.code == "EINTEGRITY")
        #expect(unchecked?.message.contains("records no integrity") == true)
        let elsewhere = LockedSource.refusal(target(integrity: sha512, resolved: "http://evil/a.tgz"), tarball: tarball, defaultRegistry: "http://r/")
        #expect(elsewhere?.code == "ERESOLVED")
        #expect(LockedSource.refusal(target(integrity: sha512, resolved: tarball), tarball: tarball, defaultRegistry: "http://r/") == nil)
        // No source at all: npm ci fetches the registry's version, checked against its integrity
        // (found by review: npm writes such entries for workspace packages, and every audit failed).
        #expect(LockedSource.refusal(target(integrity: nil, resolved: nil), tarball: tarball, defaultRegistry: "http://r/") == nil)
        let unlocked = AuditTarget(name: "a", version: "1.0.0", location: "node_modules/a", type: .dependencies, registry: "http://r/")
        #expect(LockedSource.refusal(unlocked, tarball: tarball, defaultRegistry: "http://r/") == nil)
        // Found by a re-attack: npm ci wrote the resolved tarball, whose package.json said another version.
        let other = AuditTarget(name: "a", version: "1.0.0", location: "node_modules/a", type: .dependencies, registry: "http://r/",
                                lockedIntegrity: sha512, lockedResolved: tarball, lockedVersion: "1.2.0", isLocked: true)
        #expect(LockedSource.refusal(other, tarball: tarball, defaultRegistry: "http://r/")?.code == "ELOCKEDVERSION")
    }

    /// Found by review: `npm ci` cloned a `git+file:` resolved (with the registry's integrity copied
    /// in) and installed its code; the audit called the registry copy verified.
    @Test(arguments: ["git+file:///tmp/evil#0123", "file:vendor/a.tgz", "vendor/a", "https://github.com/evil/a/tarball/v1", "git+https://r/a.git"])
    func aResolvedNpmReadsAsAnotherSourceFails(resolved: String) {
        let sha512 = "sha512-" + String(repeating: "A", count: 86) + "=="
        let target = AuditTarget(name: "a", version: "1.0.0", location: "node_modules/a", type: .dependencies, registry: "http://r/",
                                 lockedIntegrity: sha512, lockedResolved: resolved, lockedVersion: "1.0.0", isLocked: true)
        let refusal = LockedSource.refusal(target, tarball: "http://r/a/-/a-1.0.0.tgz", defaultRegistry: "http://r/")
        #expect(refusal?.code == "ERESOLVED")
        #expect(refusal?.message.contains("resolves it from \(resolved)") == true)
    }
}
