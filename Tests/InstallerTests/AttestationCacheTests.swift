import FixtureTesting
import CurlTransport
import Foundation
import Harness
@testable import Installer
import NpmModel
import NpmVerify
import RegistryClient
import SafeJSON
import SigstoreVerify
import Synchronization
import Testing

/// Attestation responses verified by one install are kept in the cache and verified again, not
/// fetched again, by the next; a cached entry this user's key did not tag (flipped, swapped with
/// another package's, a link, written under another key) or that no longer verifies is discarded
/// and fetched, and a response that fails is never kept.
@Suite(.serialized) struct AttestationCacheTests {
    static let key = AttestationCacheKey(bytes: Array(repeating: 7, count: 32))

    /// What one install saw: its report (or error) and how many attestation responses it fetched.
    struct Outcome {
        let result: Result<InstallReport, InstallError>
        let attestationFetches: Int
        var report: InstallReport { get throws { try result.get() } }
    }

    /// Installs `basic` into a fresh project with `cache` from `world`, through `rewrite`.
    func install(_ world: FixtureWorld, cache: URL, key: AttestationCacheKey? = Self.key,
                 rewrite: @escaping @Sendable (String, Int, Data) -> (Int, Data) = { ($1, $2) }) async throws -> Outcome {
        let project = try TestProject(copying: "basic")
        defer { try? FileManager.default.removeItem(at: project.directory.deletingLastPathComponent()) }
        let fetches = Mutex(0)
        let curl = try CurlHTTPClient(configuration: TransportConfiguration(retry: .none))
        defer { curl.shutdown() }
        let transport = TamperingTransport(inner: curl) { url, status, body in
            if url.contains("/-/npm/v1/attestations/") { fetches.withLock { $0 += 1 } }
            return rewrite(url, status, body)
        }
        let client = RegistryClient(configuration: RegistryConfiguration(registry: world.registryURL), transport: transport)
        let settings = ProvenanceSettings(trustedRoot: try TrustedMaterial(jsonData: try Data(contentsOf: world.trustedRootFile)),
                                          requireProvenance: true)
        let result: Result<InstallReport, InstallError>
        do {
            result = .success(try await Installer(client: client, cache: ContentCache(root: cache, attestationKey: key), provenance: settings)
                .install(prefix: project.directory, specs: []))
        } catch let error as InstallError {
            result = .failure(error)
        }
        return Outcome(result: result, attestationFetches: fetches.withLock { $0 })
    }

    /// The cached attestation responses, one file each.
    static func entries(_ cache: URL) -> [URL] {
        let folder = cache.appendingPathComponent("attestations-v1")
        let prefixes = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        return prefixes.flatMap { (try? FileManager.default.contentsOfDirectory(at: $0, includingPropertiesForKeys: nil)) ?? [] }
            .sorted { $0.path < $1.path }
    }

    static func withWorldAndCache(_ body: (FixtureWorld, URL) async throws -> Void) async throws {
        try await HostileMirrorTests.withWorld { world in
            try await withScratch("attestation-cache") { folder in try await body(world, folder.appendingPathComponent("cache")) }
        }
    }

    @Test func aWarmInstallVerifiesTheCachedResponsesWithoutFetchingThem() async throws {
        try await Self.withWorldAndCache { world, cache in
            let cold = try await install(world, cache: cache)
            let packages = try cold.report.packages.count
            #expect(packages > 1)
            #expect(cold.attestationFetches == packages)
            #expect(Self.entries(cache).count == packages)

            let warm = try await install(world, cache: cache)
            let report = try warm.report
            #expect(warm.attestationFetches == 0)
            #expect(report.verified.provenance == packages, "every cached bundle was verified again")
            #expect(report.packages.allSatisfy { $0.provenance?.builtBy?.repository == "https://github.com/mochi-lang/mochi" })
            #expect(report.warnings.isEmpty)
        }
    }

    @Test func flippedSwappedOrLinkedEntriesAreDiscardedAndFetchedAgain() async throws {
        try await Self.withWorldAndCache { world, cache in
            let packages = try await install(world, cache: cache).report.packages.count
            let entries = Self.entries(cache)
            try #require(entries.count == 2)

            // One character of a DSSE signature changed in one entry (a byte every bundle binds,
            // wherever the world's fresh keys put it in the file).
            try Self.flipSignature(in: try Data(contentsOf: entries[0])).write(to: entries[0])
            try await expectRepaired(world, cache, fetches: 1, packages: packages)

            // Two entries swapped: each a valid response, but for the other package's bytes.
            let (first, second) = (try Data(contentsOf: entries[0]), try Data(contentsOf: entries[1]))
            try second.write(to: entries[0])
            try first.write(to: entries[1])
            try await expectRepaired(world, cache, fetches: 2, packages: packages)

            // A link to a valid entry in place of one: never followed, removed, fetched.
            try FileManager.default.removeItem(at: entries[1])
            try FileManager.default.createSymbolicLink(at: entries[1], withDestinationURL: entries[0])
            let linked = try await install(world, cache: cache)
            #expect(linked.attestationFetches == 1)
            #expect(try linked.report.verified.provenance == packages)
            #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: entries[1].path)) == nil)

            #expect(try await install(world, cache: cache).attestationFetches == 0, "every entry is whole again")
        }
    }

    /// An install that finds `fetches` cached entries failing: each is fetched again with a warning
    /// naming its URL, and every package still has verified provenance.
    func expectRepaired(_ world: FixtureWorld, _ cache: URL, fetches: Int, packages: Int, because reason: String = "were not written by verify-install for this user",
                        sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let outcome = try await install(world, cache: cache)
        let report = try outcome.report
        #expect(outcome.attestationFetches == fetches, sourceLocation: sourceLocation)
        #expect(report.verified.provenance == packages, sourceLocation: sourceLocation)
        let warnings = report.warnings.filter { $0.contains("cached attestations") }
        #expect(warnings.count == fetches, "\(report.warnings)", sourceLocation: sourceLocation)
        #expect(warnings.allSatisfy { $0.contains(reason) && $0.contains("/-/npm/v1/attestations/") }, "\(warnings)",
                sourceLocation: sourceLocation)
    }

    /// `response` with the fifth base64 character of its first DSSE signature changed.
    /// (Worked on bytes: a cached entry begins with its binary tag.)
    static func flipSignature(in response: Data) -> Data {
        var bytes = Array(response)
        guard let signature = bytes.firstRange(of: Array(#""sig":""#.utf8)) else { return response }
        let at = signature.upperBound + 4
        bytes[at] = bytes[at] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        return Data(bytes)
    }

    /// `response` without its SLSA provenance attestation: still a valid response (found by an
    /// attack: served once, it stayed in the cache and every later run reported a downgrade).
    static func stripProvenance(_ response: Data) throws -> Data {
        let json = try JSONValue.parse(response)
        let kept = (json["attestations"]?.arrayValue ?? []).filter {
            !($0["predicateType"]?.stringValue ?? "").hasPrefix("https://slsa.dev/provenance/")
        }
        #expect(kept.count == 1, "the fixture serves a provenance and a publish attestation")
        return try JSONValue.object(["attestations": .array(kept)]).serialized()
    }

    /// Found by review: a response written into a shared cache, with a genuine bundle from another
    /// repository, was taken for the registry's word. An entry tagged under another key (another
    /// user's, a restored CI cache's), or carrying a made-up tag, is fetched again; with no key
    /// nothing is kept or read.
    @Test func entriesNotTaggedWithThisUsersKeyAreFetchedAgain() async throws {
        try await Self.withWorldAndCache { world, cache in
            let other = AttestationCacheKey(bytes: Array(repeating: 9, count: 32))
            let packages = try await install(world, cache: cache, key: other).report.packages.count
            let written = Self.entries(cache)
            #expect(written.count == packages)
            // The same responses under this key's names, each with the other key's tag: still not ours.
            let cold = try await install(world, cache: cache)
            #expect(cold.attestationFetches == packages, "entries named by another key are not found")
            for (theirs, ours) in zip(written, Self.entries(cache).filter { !written.contains($0) }) {
                try Data(contentsOf: theirs).write(to: ours)
            }
            try await expectRepaired(world, cache, fetches: packages, packages: packages)
            #expect(try await install(world, cache: cache).attestationFetches == 0, "re-tagged by this user's key")

            try await withScratch("no-key") { scratch in
                let bare = scratch.appendingPathComponent("cache")
                let first = try await install(world, cache: bare, key: nil).attestationFetches
                #expect(Self.entries(bare).isEmpty, "nothing is kept without a key")
                let second = try await install(world, cache: bare, key: nil).attestationFetches
                #expect(first == packages && second == packages)
            }
        }
    }

    /// A tagged entry that no longer verifies (here: one without the provenance the registry
    /// advertises, tagged by this user's key as a crafted run would) is discarded and fetched again.
    @Test func aCachedResponseWithoutTheAdvertisedProvenanceIsFetchedAgain() async throws {
        try await Self.withWorldAndCache { world, cache in
            let report = try await install(world, cache: cache).report
            let package = try #require(report.packages.first)
            let curl = try CurlHTTPClient(configuration: TransportConfiguration(retry: .none))
            defer { curl.shutdown() }
            let client = RegistryClient(configuration: RegistryConfiguration(registry: world.registryURL), transport: curl)
            let url = client.attestationsURL(for: try PackageName(package.name), version: package.version)
            let store = ContentCache(root: cache, attestationKey: Self.key)
            guard case .found(let body) = store.attestations(url: url, integrity: package.integrity) else {
                Issue.record("the cold install kept \(url)"); return
            }
            store.discardAttestations(url: url, integrity: package.integrity)
            store.storeAttestations(try Self.stripProvenance(body), url: url, integrity: package.integrity)
            try await expectRepaired(world, cache, fetches: 1, packages: report.packages.count, because: "no longer verify")
        }
    }

    @Test func aFreshResponseWithoutTheAdvertisedProvenanceFailsAndIsNotCached() async throws {
        try await Self.withWorldAndCache { world, cache in
            let stripped = try await install(world, cache: cache) { url, status, body in
                url.contains("/-/npm/v1/attestations/") ? (status, (try? Self.stripProvenance(body)) ?? body) : (status, body)
            }
            guard case .failure(let error) = stripped.result else { Issue.record("a stripped response must fail the install"); return }
            #expect(error.message.contains("advertises a https://slsa.dev/provenance/v1 attestation"), "\(error)")
            #expect(error.message.contains("/-/npm/v1/attestations/"))
            #expect(Self.entries(cache).isEmpty)
        }
    }

    @Test func aResponseThatFailsIsNeverCached() async throws {
        try await Self.withWorldAndCache { world, cache in
            let failed = try await install(world, cache: cache) { url, status, body in
                url.contains("/-/npm/v1/attestations/") ? (status, Self.flipSignature(in: body)) : (status, body)
            }
            guard case .failure(let error) = failed.result else { Issue.record("tampered attestations must fail the install"); return }
            #expect(error.message.contains("failed at"))
            #expect(Self.entries(cache).isEmpty)

            let clean = try await install(world, cache: cache)
            let installed = try clean.report.packages.count
            #expect(clean.attestationFetches == installed, "nothing of the failed run was kept")
        }
    }
}
