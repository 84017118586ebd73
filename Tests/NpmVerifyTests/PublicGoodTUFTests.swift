import FixtureTesting
import Foundation
import NpmVerify
import SigstoreVerify
import Testing
import TUF
import CodedError

/// Public-good trust through our own TUF client, replaying the real `sigstore-root-signing`
/// repository the tuf-conformance suite vendors (root 1 → 12, timestamp 272, snapshot 159,
/// targets 11) at the date it was captured. No npm is involved anywhere on this path.
@Suite struct PublicGoodTUFTests {
    static let repository = Repository.root.appendingPathComponent("../shared/vendor/tuf-conformance/tuf_conformance/static_data/sigstore-root-signing")
        .standardizedFileURL
    static let url = "https://tuf-repo-cdn.sigstore.dev"

    /// The capture date in the suite's `faketime` file.
    static func captureDate() throws -> Date {
        let text = try String(contentsOf: repository.appendingPathComponent("faketime"), encoding: .utf8)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ssxxx"
        return try #require(formatter.date(from: text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    static func trust(_ cache: URL, root: Data = SigstorePublicGoodRoot.data, offline: Bool = false, now: Date? = nil,
                      hidingRoots: Bool = false) throws -> TUFTrust {
        TUFTrust(repositoryURL: url, initialRoot: root, cacheDirectory: cache, offline: offline, now: try now ?? captureDate(),
                 remote: FolderFetcher(base: url, metadata: repository.appendingPathComponent("metadata"),
                                       targets: repository.appendingPathComponent("targets"), hidingRoots: hidingRoots))
    }

    /// A run starts from the anchor again, but the rotations an earlier run verified are replayed
    /// from the cache: hiding newer roots cannot take trust back to root v1's retired keys, and a
    /// forged later root in the cache ends the replay instead of being trusted.
    @Test func rotationsAlreadyVerifiedSurviveHiddenRootsAndForgedCacheFiles() async throws {
        try await withScratch("public-good-rollback") { cache in
            let root1 = try Data(contentsOf: Self.repository.appendingPathComponent("metadata/1.root.json"))
            let hiding = await #expect(throws: NpmVerifyError.self) {
                try await Self.trust(cache, root: root1, hidingRoots: true).fetch([TrustRootResolver.trustedRootTarget])
            }
            // With no rotation seen yet, hidden roots leave root v1, which has long expired: refused.
            #expect(hiding?.message.contains("root v1: expired") == true, "\(String(describing: hiding))")

            _ = try await Self.trust(cache, root: root1).fetch([TrustRootResolver.trustedRootTarget])
            let mirror = cache.appendingPathComponent("mirror")
            var forged = try String(contentsOf: mirror.appendingPathComponent("12.root.json"), encoding: .utf8)
            forged = forged.replacingOccurrences(of: "\"version\": 12", with: "\"version\": 13")
            try Data(forged.utf8).write(to: mirror.appendingPathComponent("13.root.json"))

            // Offline, the forged file is what the "repository" serves as root v13: refused, never trusted.
            let offline = await #expect(throws: NpmVerifyError.self) {
                try await Self.trust(cache, root: root1, offline: true).fetch([TrustRootResolver.trustedRootTarget])
            }
            #expect(offline?.message.contains("root") == true, "\(String(describing: offline))")

            let replayed = try await Self.trust(cache, root: root1, hidingRoots: true).fetch([TrustRootResolver.trustedRootTarget])
            #expect(replayed.rootVersion == 12)
            // The server said there is no root v13: the mirror forgets the forged file, so offline works again.
            #expect(!FileManager.default.fileExists(atPath: mirror.appendingPathComponent("13.root.json").path))
            let afterwards = try await Self.trust(cache, root: root1, offline: true).fetch([TrustRootResolver.trustedRootTarget])
            #expect(afterwards.rootVersion == 12)
        }
    }

    @Test func rotatingFromRootOneReachesRootTwelveAndVerifiesEveryRealNpmAttestation() async throws {
        try await withScratch("public-good-tuf") { cache in
            let root1 = try Data(contentsOf: Self.repository.appendingPathComponent("metadata/1.root.json"))
            let outcome = try await Self.trust(cache, root: root1).fetch([TrustRootResolver.trustedRootTarget])
            #expect(outcome.rootVersion == 12)
            #expect(outcome.source.description.hasPrefix("TUF https://tuf-repo-cdn.sigstore.dev (root v12"))
            let trusted = try TrustedMaterial(jsonData: try #require(outcome.targets[TrustRootResolver.trustedRootTarget]))
            let verifier = AttestationVerifier(trusted: trusted, keys: NpmRegistryKeys.keys)
            #expect(AttestationVerifierTests.cases.count == 25)
            for testCase in AttestationVerifierTests.cases where AttestationVerifierTests.rejectedResponses[testCase.file] == nil {
                let verdicts = try verifier.verify(response: try RegistrySignatureTests.data(testCase.file), package: testCase.package)
                for verdict in verdicts where AttestationVerifierTests.npmRuleOverrides[testCase.file]?.predicate != verdict.predicateType {
                    #expect(testCase.expected[verdict.predicateType] == (verdict.failure == nil ? "pass" : "fail"),
                            "\(testCase.file) \(verdict.predicateType): \(verdict.failure ?? "passed")")
                }
            }
        }
    }

    @Test func theEmbeddedRootIsTheRealRootTwelve() throws {
        let real = try Data(contentsOf: Self.repository.appendingPathComponent("metadata/12.root.json"))
        #expect(SigstorePublicGoodRoot.data == real)
    }

    @Test func offlineReplaysTheCacheUntilItExpiresAndSaysWhen() async throws {
        try await withScratch("public-good-offline") { cache in
            _ = try await Self.trust(cache).fetch([TrustRootResolver.trustedRootTarget])
            let replayed = try await Self.trust(cache, offline: true).fetch([TrustRootResolver.trustedRootTarget])
            #expect(replayed.rootVersion == 12)
            let later = try Self.captureDate().addingTimeInterval(30 * 24 * 3600)
            let error = await #expect(throws: NpmVerifyError.self) {
                try await Self.trust(cache, offline: true, now: later).fetch([TrustRootResolver.trustedRootTarget])
            }
            #expect(error?.message.contains("offline") == true)
            #expect(error?.message.contains("expired") == true, "\(String(describing: error))")
        }
    }

    /// Found by review: every answer went into the offline mirror before it was verified, so one
    /// bad timestamp from a server broke every later `--offline` run.
    @Test func aRefusedAnswerNeverReachesTheOfflineMirror() async throws {
        try await withScratch("public-good-refused") { cache in
            _ = try await Self.trust(cache).fetch([TrustRootResolver.trustedRootTarget])
            let inner = FolderFetcher(base: Self.url, metadata: Self.repository.appendingPathComponent("metadata"),
                                      targets: Self.repository.appendingPathComponent("targets"))
            let junk = TUFTrust(repositoryURL: Self.url, initialRoot: SigstorePublicGoodRoot.data, cacheDirectory: cache,
                                now: try Self.captureDate(), remote: JunkFetcher(inner: inner, junkSuffix: "timestamp.json"))
            await #expect(throws: NpmVerifyError.self) { try await junk.fetch([TrustRootResolver.trustedRootTarget]) }
            let replayed = try await Self.trust(cache, offline: true).fetch([TrustRootResolver.trustedRootTarget])
            #expect(replayed.rootVersion == 12)
        }
    }

    @Test(arguments: ["mirror/timestamp.json", "mirror/159.snapshot.json", "mirror/11.targets.json"])
    func tamperingWithACachedFileIsDetectedAndNamed(_ file: String) async throws {
        try await withScratch("public-good-tamper") { cache in
            _ = try await Self.trust(cache).fetch([TrustRootResolver.trustedRootTarget])
            let url = cache.appendingPathComponent(file)
            var text = try String(contentsOf: url, encoding: .utf8)
            text = text.replacingOccurrences(of: "\"version\": ", with: "\"version\": 1")
            try Data(text.utf8).write(to: url)
            try? FileManager.default.removeItem(at: cache.appendingPathComponent("metadata"))
            let error = await #expect(throws: NpmVerifyError.self) {
                try await Self.trust(cache, offline: true).fetch([TrustRootResolver.trustedRootTarget])
            }
            let role = file.split(separator: ".").dropLast().last.map(String.init) ?? file
            #expect(error?.message.contains(String(role.split(separator: "/").last ?? "")) == true, "\(String(describing: error))")
        }
    }

    @Test func aTamperedCachedTargetIsNotUsed() async throws {
        try await withScratch("public-good-target") { cache in
            _ = try await Self.trust(cache).fetch([TrustRootResolver.trustedRootTarget])
            let targets = cache.appendingPathComponent("targets")
            for name in try FileManager.default.contentsOfDirectory(atPath: targets.path) {
                try Data("{}".utf8).write(to: targets.appendingPathComponent(name))
            }
            for name in try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("mirror/targets").path) {
                try Data("{}".utf8).write(to: cache.appendingPathComponent("mirror/targets/\(name)"))
            }
            let error = await #expect(throws: NpmVerifyError.self) {
                try await Self.trust(cache, offline: true).fetch([TrustRootResolver.trustedRootTarget])
            }
            #expect(error?.message.contains("trusted_root.json") == true, "\(String(describing: error))")
        }
    }

    /// Found by review: `--tuf-url http://..%2F..%2Fescaped:1/` put the cache (and a copy of the
    /// root) two folders above the cache, and a link at `tuf/` was written through.
    @Test func theCacheStaysInsideTheCacheFolder() async throws {
        try await withScratch("public-good-folder") { top in
            let tufFolder = top.appendingPathComponent("tuf").standardizedFileURL
            for url in ["http://..%2F..%2Fescaped:1/", "http://%2E%2E/", "https://tuf-repo-cdn.sigstore.dev"] {
                let folder = TrustRootResolver.publicGood(cacheRoot: top, url: url).tuf.cacheDirectory.standardizedFileURL
                #expect(folder.deletingLastPathComponent().path == tufFolder.path, "\(url) → \(folder.path)")
                #expect(![".", ".."].contains(folder.lastPathComponent), "\(url) → \(folder.path)")
            }
            #expect(TrustRootResolver.publicGood(cacheRoot: top).tuf.cacheDirectory.lastPathComponent == "tuf-repo-cdn.sigstore.dev")
            // Found by review: mirrors on one host shared a cache; each origin and path has its own.
            let names = ["http://127.0.0.1:1/", "http://127.0.0.1:2/", "https://127.0.0.1:1/", "http://127.0.0.1:1/other"]
                .map { TrustRootResolver.publicGood(cacheRoot: top, url: $0).tuf.cacheDirectory.lastPathComponent }
            #expect(Set(names).count == 4, "\(names)")

            let elsewhere = top.appendingPathComponent("elsewhere")
            try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: tufFolder, withDestinationURL: elsewhere)
            let trust = TUFTrust(repositoryURL: Self.url, initialRoot: SigstorePublicGoodRoot.data,
                                 cacheDirectory: tufFolder.appendingPathComponent("host"), cacheTop: top, now: try Self.captureDate(),
                                 remote: FolderFetcher(base: Self.url, metadata: Self.repository.appendingPathComponent("metadata"),
                                                       targets: Self.repository.appendingPathComponent("targets")))
            let error = await #expect(throws: NpmVerifyError.self) { try await trust.fetch([TrustRootResolver.trustedRootTarget]) }
            #expect(error?.message.contains("\(tufFolder.path) is not a real folder") == true, "\(String(describing: error))")
            #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).allSatisfy { $0 == "host" })
        }
    }
}

/// Serves a repository laid out as `metadata/` and `targets/` folders, as if from `base`.
struct FolderFetcher: TUFFetcher {
    let base: String
    let metadata: URL
    let targets: URL
    /// Answer 404 for every `N.root.json`, as an attacker hiding rotations would.
    var hidingRoots = false

    func fetch(_ url: String, maxBytes: Int) async throws(FetchError) -> Data {
        guard url.hasPrefix(base + "/") else { throw .httpStatus(404, url: url) }
        let path = String(url.dropFirst(base.count + 1))
        if hidingRoots && path.hasSuffix(".root.json") { throw .httpStatus(404, url: url) }
        let file = path.hasPrefix("targets/") ? targets.appendingPathComponent(String(path.dropFirst("targets/".count)))
                                               : metadata.appendingPathComponent(path)
        guard !path.contains(".."), let data = FileManager.default.contents(atPath: file.path) else { throw .httpStatus(404, url: url) }
        guard data.count <= maxBytes else { throw .tooLarge(limit: maxBytes, url: url) }
        return data
    }
}

/// `inner`, except that every file whose path ends with `junkSuffix` is served as junk.
struct JunkFetcher: TUFFetcher {
    let inner: FolderFetcher
    let junkSuffix: String

    func fetch(_ url: String, maxBytes: Int) async throws(FetchError) -> Data {
        url.hasSuffix(junkSuffix) ? Data("not json".utf8) : try await inner.fetch(url, maxBytes: maxBytes)
    }
}
