import FixtureTesting
import Foundation
import NpmVerify
import SigstoreVerify
import Synchronization
import Testing
import TUF
import CodedError

/// `inner`, counting the requests whose URL ends with each path.
private final class CountingFetcher: TUFFetcher {
    let inner: any TUFFetcher
    private let requested = Mutex<[String]>([])

    init(inner: any TUFFetcher) { self.inner = inner }

    func fetch(_ url: String, maxBytes: Int) async throws(FetchError) -> Data {
        requested.withLock { $0.append(url) }
        return try await inner.fetch(url, maxBytes: maxBytes)
    }

    func count(endingWith suffix: String) -> Int { requested.withLock { $0.filter { $0.hasSuffix(suffix) }.count } }
}

/// A run that needs both public-good targets (the trusted root and npm's keys) refreshes the
/// repository once, not once per target; a target the repository lacks fails alone.
@Suite struct TUFTargetsTests {
    static let absent = "registry.example/keys.json"

    fileprivate static func trust(_ cache: URL, counting: CountingFetcher) throws -> TUFTrust {
        TUFTrust(repositoryURL: PublicGoodTUFTests.url, initialRoot: SigstorePublicGoodRoot.data, cacheDirectory: cache,
                 now: try PublicGoodTUFTests.captureDate(), remote: counting)
    }

    static func folder() -> FolderFetcher {
        FolderFetcher(base: PublicGoodTUFTests.url, metadata: PublicGoodTUFTests.repository.appendingPathComponent("metadata"),
                      targets: PublicGoodTUFTests.repository.appendingPathComponent("targets"))
    }

    @Test func severalTargetsComeFromOneRefreshAndAMissingOneFailsAlone() async throws {
        try await withScratch("tuf-targets") { cache in
            let counting = CountingFetcher(inner: Self.folder())
            let resolver = TrustRootResolver(tuf: try Self.trust(cache, counting: counting))
            let results = try await resolver.targets([TrustRootResolver.trustedRootTarget, Self.absent])
            #expect(counting.count(endingWith: "/timestamp.json") == 1)
            let root = try #require(try results[TrustRootResolver.trustedRootTarget]?.get())
            _ = try TrustedMaterial(jsonData: root.data)
            #expect(root.source.description.contains("root v12"), "\(root.source)")
            let missing = try #require(results[Self.absent])
            #expect(throws: NpmVerifyError.self) { try missing.get() }
        }
    }

    /// Found by review: one failed target kept the whole refresh out of `mirror/`, so a later
    /// `--offline` run lost the trusted root fetched with it. The capture lists npm's keys but
    /// lacks the file (a 404): what succeeded is replayed offline, the failed target is not.
    @Test func whatSucceededIsReplayedOfflineAndAFailedTargetIsNot() async throws {
        try await withScratch("tuf-targets-mirror") { cache in
            let resolver = TrustRootResolver(tuf: try Self.trust(cache, counting: CountingFetcher(inner: Self.folder())))
            let results = try await resolver.targets([TrustRootResolver.trustedRootTarget, TrustRootResolver.registryKeysTarget])
            let keys = try #require(results[TrustRootResolver.registryKeysTarget])
            #expect(throws: NpmVerifyError.self) { try keys.get() }
            let root = try #require(try results[TrustRootResolver.trustedRootTarget]?.get())
            let offline = TUFTrust(repositoryURL: PublicGoodTUFTests.url, initialRoot: SigstorePublicGoodRoot.data, cacheDirectory: cache,
                                   offline: true, now: try PublicGoodTUFTests.captureDate())
            #expect(try await offline.fetch([TrustRootResolver.trustedRootTarget]).targets[TrustRootResolver.trustedRootTarget] == root.data)
            await #expect(throws: NpmVerifyError.self) { try await offline.fetch([TrustRootResolver.registryKeysTarget]) }
        }
    }

    /// What a failed target downloaded never replaces the good copy an earlier run kept.
    @Test func aFailedDownloadLeavesTheMirrorsGoodCopy() async throws {
        try await withScratch("tuf-targets-junk") { cache in
            let good = try await Self.trust(cache, counting: CountingFetcher(inner: Self.folder())).fetch([TrustRootResolver.trustedRootTarget])
            try FileManager.default.removeItem(at: cache.appendingPathComponent("targets"))  // so the next run downloads it again
            let junk = TUFTrust(repositoryURL: PublicGoodTUFTests.url, initialRoot: SigstorePublicGoodRoot.data, cacheDirectory: cache,
                                now: try PublicGoodTUFTests.captureDate(),
                                remote: JunkFetcher(inner: Self.folder(), junkSuffix: TrustRootResolver.trustedRootTarget))
            let results = try await TrustRootResolver(tuf: junk).targets([TrustRootResolver.trustedRootTarget, TrustRootResolver.registryKeysTarget])
            let root = try #require(results[TrustRootResolver.trustedRootTarget])
            #expect(throws: NpmVerifyError.self) { try root.get() }
            let offline = TUFTrust(repositoryURL: PublicGoodTUFTests.url, initialRoot: SigstorePublicGoodRoot.data, cacheDirectory: cache,
                                   offline: true, now: try PublicGoodTUFTests.captureDate())
            let replayed = try await offline.fetch([TrustRootResolver.trustedRootTarget])
            #expect(replayed.targets[TrustRootResolver.trustedRootTarget] == good.targets[TrustRootResolver.trustedRootTarget])
        }
    }

    /// `fetch` keeps its contract: every target or an error (the first missing one's).
    @Test func fetchingEveryTargetStillFailsOnTheFirstMissingOne() async throws {
        try await withScratch("tuf-targets-all") { cache in
            let counting = CountingFetcher(inner: Self.folder())
            let trust = try Self.trust(cache, counting: counting)
            let error = await #expect(throws: NpmVerifyError.self) {
                try await trust.fetch([TrustRootResolver.trustedRootTarget, Self.absent])
            }
            #expect(error?.code == .notFound)
            #expect(error?.message.contains(Self.absent) == true, "\(String(describing: error))")
            let outcome = try await trust.fetch([TrustRootResolver.trustedRootTarget])
            #expect(outcome.targets[TrustRootResolver.trustedRootTarget] != nil)
        }
    }

    /// A refresh that fails fails every target, once.
    @Test func aFailedRefreshThrowsOnceForAllTargets() async throws {
        try await withScratch("tuf-targets-refresh") { cache in
            let counting = CountingFetcher(inner: JunkFetcher(inner: Self.folder(), junkSuffix: "timestamp.json"))
            let junk = TrustRootResolver(tuf: try Self.trust(cache, counting: counting))
            let error = await #expect(throws: NpmVerifyError.self) {
                try await junk.targets([TrustRootResolver.trustedRootTarget, Self.absent])
            }
            #expect(error?.message.contains("not trustworthy") == true, "\(String(describing: error))")
            #expect(counting.count(endingWith: "/timestamp.json") == 1)
        }
    }
}
