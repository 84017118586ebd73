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
