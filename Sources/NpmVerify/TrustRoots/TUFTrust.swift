public import FoundationEssentials
public import TUF
import DurableFile
import CodedError

/// Trust documents taken from a TUF repository through our own client (`TUF`), anchored in a
/// root we hold (the embedded Sigstore public-good root, or the fixture world's), never in
/// whatever a cache or an installed npm holds.
///
/// Every run starts from `initialRoot` again: the cached `root.json` is replaced by it, so a
/// tampered cache can never become the anchor. The root versions earlier runs rotated through are
/// then replayed from `mirror/`, each verified again, so a hidden newer root cannot roll trust
/// back to retired keys. The update then rotates root one version at a time, and verifies every
/// cached or fetched file under the final root at one fixed `now`; targets are used as the bytes
/// that were hashed, never read from the cache a second time.
/// Files fetched are also kept verbatim in `mirror/`, which `offline` replays (still verified
/// from the anchor, and refused once expired).
public struct TUFTrust: Sendable {
    /// Metadata base URL (targets are under `<url>/targets/`).
    public let repositoryURL: String
    public let initialRoot: Data
    /// `~/.cache/verify-install/tuf/<host>`: `metadata/`, `mirror/`, `targets/`.
    public let cacheDirectory: URL
    /// The folder above `cacheDirectory` from which every folder down must be a real one
    /// (`~/.cache/verify-install`); nil checks `cacheDirectory` and its subfolders only.
    public let cacheTop: URL?
    public let offline: Bool
    public let now: Date
    /// How files are downloaded when online (nil: libcurl).
    public let remote: (any TUFFetcher)?
    /// The newest versions earlier runs trusted, kept outside the cache; nil keeps none.
    public let highWater: TUFHighWater?

    public init(repositoryURL: String, initialRoot: Data, cacheDirectory: URL, cacheTop: URL? = nil, offline: Bool = false,
                now: Date = Date(), remote: (any TUFFetcher)? = nil, highWater: TUFHighWater? = nil) {
        self.repositoryURL = repositoryURL.hasSuffix("/") ? String(repositoryURL.dropLast()) : repositoryURL
        self.initialRoot = initialRoot
        self.cacheDirectory = cacheDirectory
        self.cacheTop = cacheTop
        self.offline = offline
        self.now = now
        self.remote = remote
        self.highWater = highWater
    }

    /// What an update established.
    public struct Outcome: Sendable {
        /// Target name → verified bytes.
        public let targets: [String: Data]
        public let rootVersion: Int
        public let rootExpires: Date
        public let repositoryURL: String

        public var source: TrustSource { .tuf(url: repositoryURL, rootVersion: rootVersion, expires: rootExpires) }
    }

    /// Refreshes the repository and returns the verified bytes of `names`; the first of them that
    /// cannot be had fails the whole fetch.
    public func fetch(_ names: [String]) async throws -> Outcome {
        let (outcome, failures) = try await fetch(names, keepingPartial: false)
        if let first = names.first(where: { failures[$0] != nil }), let failure = failures[first] { throw failure }
        return outcome
    }

    /// Refreshes the repository once and returns the verified bytes of each of `names` it could
    /// get, with why it could not get the others: one refresh for several targets, where a fetch
    /// per target would refresh once each. A failed refresh throws. What `offline` replays later
    /// keeps the refresh and the targets that succeeded, never what a failed target fetched.
    public func fetchEach(_ names: [String]) async throws -> (outcome: Outcome, failures: [String: any Error]) {
        try await fetch(names, keepingPartial: true)
    }

    /// One refresh, then each target; the recording goes to `mirror/` when every target succeeded,
    /// or, `keepingPartial`, without what the failed ones fetched.
    private func fetch(_ names: [String], keepingPartial: Bool) async throws -> (outcome: Outcome, failures: [String: any Error]) {
        let metadata = cacheDirectory.appendingPathComponent("metadata")
        let mirror = cacheDirectory.appendingPathComponent("mirror")
        let targetsFolder = cacheDirectory.appendingPathComponent("targets")
        for folder in [cacheDirectory, metadata, mirror, targetsFolder] {
            do { try TUFCacheFolder.make(folder, below: cacheTop) } catch { throw NpmVerifyError(.tuf, "TUF cache: \(error)") }
        }
        let kept: TUFHighWater.Marks?
        do { kept = try highWater?.load() } catch {
            throw NpmVerifyError(.tuf, "the TUF high-water marks of \(repositoryURL) cannot be used: \(error) (set XDG_STATE_HOME to a folder only this user may write)")
        }
        // The anchor is handed over in memory: root.json in the cache is only a copy, never read back as trust.
        let anchor = try startingRoot(mirror: mirror)
        try DurableFile.replace(MetadataStore(directory: metadata).fileURL(for: "root"), with: anchor)
        let recorder = offline ? nil : RecordingFetcher(inner: try remote ?? CurlFetcher(), mirror: mirror, base: repositoryURL)
        let fetcher: any TUFFetcher = recorder ?? MirrorFetcher(mirror: mirror, base: repositoryURL)
        let updater = TUFUpdater(metadataDirectory: metadata, metadataBaseURL: repositoryURL, targetDirectory: targetsFolder,
                                 targetBaseURL: repositoryURL + "/targets", fetcher: fetcher, referenceTime: now, trustedRoot: anchor)
        do {
            try await updater.refresh()
        } catch {
            throw NpmVerifyError(.tuf, "\(offline ? "offline: the cached" : "the") TUF metadata of \(repositoryURL) is not trustworthy at \(now): \(error)")
        }
        let reached = await updater.trusted.flatMap(TUFHighWater.marks(of:))
        if let kept, let reached, let highWater, let rollback = TUFHighWater.rollback(from: kept, to: reached) {
            throw NpmVerifyError(.tuf, "\(offline ? "offline: the cached" : "the") TUF metadata of \(repositoryURL) rolls back to \(rollback) (\(highWater.folder.appendingPathComponent(highWater.fileName).path)): the repository or the cache hides newer metadata")
        }
        var targets: [String: Data] = [:], failures: [String: any Error] = [:]
        for name in names {
            // What a failed step fetched is forgotten (a failed download must not replace a good
            // mirror copy); metadata a found target's lookup loaded stays, as later targets use it.
            var recorded = recorder?.recordedCount ?? 0
            do {
                let file = try await targetFile(name, from: updater)
                recorded = recorder?.recordedCount ?? 0
                targets[name] = try await bytes(of: file, name, from: updater)
            } catch {
                failures[name] = error
                recorder?.forget(from: recorded)
            }
        }
        guard let root = await updater.trusted?.root else { throw NpmVerifyError(.tuf, "TUF update of \(repositoryURL) left no trusted root") }
        if failures.isEmpty || keepingPartial {
            recorder?.commit()
            // Recorded with the mirror, so `offline` never replays less than the marks say.
            if let reached, let highWater {
                do { try highWater.record(reached, over: kept) } catch {
                    throw NpmVerifyError(.tuf, "the TUF high-water marks of \(repositoryURL) cannot be recorded: \(error)")
                }
            }
        }
        return (Outcome(targets: targets, rootVersion: root.version, rootExpires: root.header.expires, repositoryURL: repositoryURL), failures)
    }

    /// What the refreshed `updater`'s metadata says of target `name`.
    private func targetFile(_ name: String, from updater: TUFUpdater) async throws -> TargetFile {
        guard let file = try await updater.targetInfo(for: name) else {
            throw NpmVerifyError(.notFound, "TUF repository \(repositoryURL) has no target \(name)")
        }
        return file
    }

    /// The verified bytes of target `file` (`name`) of the refreshed `updater`.
    private func bytes(of file: TargetFile, _ name: String, from updater: TUFUpdater) async throws -> Data {
        // The bytes the length and hashes were checked on, never a second read of the file.
        if let cached = await updater.cachedTarget(file) { return cached.bytes }
        do { return try await updater.downloadTarget(file).bytes } catch {
            throw NpmVerifyError(.tuf, "TUF target \(name) of \(repositoryURL): \(error)")
        }
    }

    /// `initialRoot`, then every later root version an earlier update fetched (kept verbatim in
    /// `mirror/`) that passes the rotation rules again. The cache can only bring back a rotation
    /// this client already verified; a missing or forged file just ends the replay.
    private func startingRoot(mirror: URL) throws -> Data {
        let config = UpdaterConfig()
        do {
            return try RootChain.newest(from: initialRoot, referenceTime: now, maxRotations: config.maxRootRotations) { version in
                try? DurableFile.read(mirror.appendingPathComponent("\(version).root.json").path, limit: config.rootMaxLength)
            }
        } catch {
            throw NpmVerifyError(.tuf, "the initial TUF root for \(repositoryURL) is not a valid self-signed root: \(error)")
        }
    }
}
