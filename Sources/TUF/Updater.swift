public import FoundationEssentials

/// The TUF 1.0 client workflow (specification section 5) between a local metadata directory and
/// a remote repository. One updater is one update: its reference time is fixed at creation and
/// used for every expiry check (5.1); `refresh()` loads root, timestamp, snapshot and targets,
/// and target look-ups then reuse that consistent view.
public actor TUFUpdater {
    public nonisolated let referenceTime: Date
    public nonisolated let config: UpdaterConfig
    let store: MetadataStore
    let metadataBaseURL: String
    let targetBaseURL: String?
    let targetDirectory: URL?
    let fetcher: any TUFFetcher
    let log: @Sendable (String) -> Void
    var trustedSet: TrustedMetadata?
    /// The root the update starts from when given in memory (see `init`).
    let anchor: Data?
    var refreshed = false
    /// Local metadata files refused during this update, with the rule each broke (diagnostics).
    public private(set) var discardedLocal: [TUFError] = []

    /// `trustedRoot`: the anchor's bytes, held in memory by a caller that must not take it from a
    /// folder others can write; nil to load the spec's trusted `root.json` from `metadataDirectory`.
    public init(metadataDirectory: URL, metadataBaseURL: String, targetDirectory: URL? = nil,
                targetBaseURL: String? = nil, fetcher: any TUFFetcher, config: UpdaterConfig = UpdaterConfig(),
                referenceTime: Date = Date(), trustedRoot: Data? = nil, log: @escaping @Sendable (String) -> Void = { _ in }) {
        store = MetadataStore(directory: metadataDirectory)
        anchor = trustedRoot
        self.metadataBaseURL = metadataBaseURL.hasSuffix("/") ? metadataBaseURL : metadataBaseURL + "/"
        self.targetBaseURL = targetBaseURL.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        self.targetDirectory = targetDirectory
        self.fetcher = fetcher
        self.config = config
        self.referenceTime = referenceTime
        self.log = log
    }

    /// The trusted metadata after (or during) `refresh()`.
    public var trusted: TrustedMetadata? { trustedSet }

    /// Spec 5.2–5.6: updates root, timestamp, snapshot and top-level targets.
    public func refresh() async throws {
        refreshed = false
        guard let rootData = anchor ?? store.read("root", limit: config.rootMaxLength) else {
            throw TUFError(.storage, role: "root", rule: "5.2", "no trusted root.json in \(store.directory.path)")
        }
        trustedSet = try TrustedMetadata(rootData: rootData, referenceTime: referenceTime)
        let initialRoot = trustedSet!.root
        try await loadRoot()
        try trustedSet!.checkFinalRoot()
        let finalRoot = trustedSet!.root
        if ["timestamp", "snapshot"].contains(where: { initialRoot.keyMaterial(of: $0) != finalRoot.keyMaterial(of: $0) }) {
            log("5.3.11: timestamp/snapshot keys changed in root v\(finalRoot.version): deleting local timestamp and snapshot")
            store.remove("timestamp")
            store.remove("snapshot")
        }
        try await loadTimestamp()
        try await loadSnapshot()
        try await loadTargets(role: "targets", delegator: "root")
        refreshed = true
    }

    /// Spec 5.3.3–5.3.9: root N+1, N+2, … until the repository has no next version (403/404).
    private func loadRoot() async throws {
        let first = trustedSet!.root.version + 1
        for version in first..<(first + config.maxRootRotations) {
            let data: Data
            do {
                data = try await fetcher.fetch(metadataURL("root", version: version), maxBytes: config.rootMaxLength)
            } catch FetchError.httpStatus(let status, _) where status == 403 || status == 404 {
                return
            } catch {
                throw fetchFailure(error, role: "root", version: version, rule: "5.3.3")
            }
            try trustedSet!.updateRoot(data)
            try store.write("root", data, version: version)
            log("root v\(version) is trusted")
        }
        log("stopped after \(config.maxRootRotations) root versions")
    }

    /// Spec 5.4: the local timestamp (if valid) is the rollback reference for the remote one.
    private func loadTimestamp() async throws {
        if let local = store.read("timestamp", limit: config.timestampMaxLength) {
            do { try trustedSet!.updateTimestamp(local) } catch { discard(error, "local timestamp") }
        }
        let data = try await download("timestamp", version: nil, maxBytes: config.timestampMaxLength, rule: "5.4.1")
        if try trustedSet!.updateTimestamp(data) == .unchanged {
            log("timestamp v\(trustedSet!.timestamp!.version) unchanged: keeping the trusted copy")
            return
        }
        try store.write("timestamp", data, version: trustedSet!.timestamp?.version)
        log("timestamp v\(trustedSet!.timestamp!.version) is trusted")
    }

    /// Spec 5.5: a valid local snapshot that timestamp still lists is used as is.
    private func loadSnapshot() async throws {
        try trustedSet!.checkFinalTimestamp()
        if let local = store.read("snapshot", limit: max(config.snapshotMaxLength, trustedSet!.timestamp!.snapshotMeta.length ?? 0)) {
            do {
                try trustedSet!.updateSnapshot(local, trusted: true)
                log("local snapshot v\(trustedSet!.snapshot!.version) is current")
                return
            } catch { discard(error, "local snapshot") }
        }
        let meta = trustedSet!.timestamp!.snapshotMeta
        let version = trustedSet!.root.consistentSnapshot ? meta.version : nil
        let data = try await download("snapshot", version: version, maxBytes: meta.length ?? config.snapshotMaxLength, rule: "5.5.1")
        try trustedSet!.updateSnapshot(data, trusted: false)
        try store.write("snapshot", data, version: meta.version)
        log("snapshot v\(meta.version) is trusted")
    }

    /// Spec 5.6.1–5.6.6 for `role` as delegated by `delegator`: metadata loaded earlier in this
    /// process is re-verified against this delegator, then the local copy is tried, then the remote.
    @discardableResult
    func loadTargets(role: String, delegator: String) async throws -> Targets {
        if let loaded = trustedSet!.loadedTargetsData(role) {
            return try trustedSet!.updateTargets(loaded, role: role, delegator: delegator)
        }
        if let local = store.read(role, limit: max(config.targetsMaxLength, trustedSet!.snapshot!.meta["\(role).json"]?.length ?? 0)) {
            do { return try trustedSet!.updateTargets(local, role: role, delegator: delegator) } catch {
                discard(error, "local \(role)")
            }
        }
        let snapshot = trustedSet!.snapshot!
        guard let meta = snapshot.meta["\(role).json"] else {
            throw TUFError(.missingMeta, role: role, rule: "5.6.1",
                           "delegated by \(delegator) but not listed in snapshot v\(snapshot.version)")
        }
        let version = trustedSet!.root.consistentSnapshot ? meta.version : nil
        let data = try await download(role, version: version, maxBytes: meta.length ?? config.targetsMaxLength, rule: "5.6.1")
        let targets = try trustedSet!.updateTargets(data, role: role, delegator: delegator)
        try store.write(role, data, version: targets.version)
        log("\(role) v\(targets.version) is trusted")
        return targets
    }

    func metadataURL(_ role: String, version: Int?) -> String {
        metadataBaseURL + (version.map { "\($0)." } ?? "") + TUFEncoding.component(role) + ".json"
    }

    private func download(_ role: String, version: Int?, maxBytes: Int, rule: String) async throws -> Data {
        do { return try await fetcher.fetch(metadataURL(role, version: version), maxBytes: maxBytes) } catch {
            throw fetchFailure(error, role: role, version: version, rule: rule)
        }
    }

    func fetchFailure(_ error: FetchError, role: String, version: Int?, rule: String) -> TUFError {
        if case .tooLarge = error { return TUFError(.tooLarge, role: role, version: version, rule: rule, error.description) }
        return TUFError(.fetchFailed, role: role, version: version, rule: rule, error.description)
    }

    private func discard(_ error: any Error, _ what: String) {
        log("\(what) not used: \(error)")
        if let error = error as? TUFError { discardedLocal.append(error) }
    }
}
