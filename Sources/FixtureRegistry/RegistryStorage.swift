public import Crypto
public import Foundation
import SafeJSON
import Synchronization

/// The registry's durable storage: one folder per package holding its
/// packument (full form, JSON) and its tarballs.
///
/// ```
/// <directory>/packages/<name>/packument.json          plain names
/// <directory>/packages/@scope/<name>/packument.json   scoped names
/// <directory>/packages/<name>/tarballs/<name>-<version>.tgz
/// ```
/// Files are written atomically and durably (temporary file, fsync, rename, fsync
/// of the folder; see ``AtomicFile``), tarball and attestations before the
/// packument, so a packument never names a tarball that is not there, even after
/// a SIGKILL or a power cut; a version is acknowledged only once its packument is
/// on disk. Unpublished files are deleted after the packument stops naming them. Opening
/// an existing folder serves what an earlier run stored. Reads are cached in
/// memory; all edits go through one lock.
public final class RegistryStorage: Sendable {
    /// The storage folder.
    public let directory: URL
    /// `<directory>/packages`, kept as a path: building file URLs component by component was a
    /// tenth of the server's CPU while it served a generated registry.
    private let packagesPath: String
    private let clock: @Sendable () -> Date
    /// The packuments read so far, and a count of the edits of any of them: a rendering of a
    /// document is current while the count is unchanged.
    private let cache = Mutex<(documents: [PackageName: PackumentDocument], generation: UInt64)>(([:], 0))
    private let locks = PackageLocks()
    /// Bearer tokens and users (`auth/tokens.json`, hashes only).
    public let tokens: TokenStore
    /// The registry's signing keys (`keys/registry-keys.json`, generated on first open).
    public let keyring: RegistryKeyring
    /// The fixture world the registry trusts (token exchange, attestation log), if any.
    public let world: RegistryWorldLink?

    /// Opens (creating if needed) storage in `directory`; `clock` stamps `time` fields.
    ///
    /// - Parameters:
    ///   - config: users, publish rights and fixed tokens (default: none; the repository's is
    ///     `RegistryConfig.load(from: FixturePaths.config)`).
    ///   - signingKey: the first signing key when the storage has no keyring yet (such as
    ///     ``TestRegistryKey/load(from:)``); nil generates one. Ignored for an existing keyring.
    public init(directory: URL, config: RegistryConfig = RegistryConfig(), signingKey: P256.Signing.PrivateKey? = nil,
                world: RegistryWorldLink? = nil, clock: @escaping @Sendable () -> Date = { Date() }) throws(RegistryError) {
        let directory = directory.standardizedFileURL
        self.directory = directory
        packagesPath = directory.appendingPathComponent("packages", isDirectory: true).path
        self.world = world
        self.clock = clock
        do {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("packages", isDirectory: true),
                                                    withIntermediateDirectories: true)
        } catch {
            throw .storage(path: directory.path, reason: "cannot create: \(error.localizedDescription)")
        }
        StorageTemporaries.remove(below: directory)
        tokens = try TokenStore(directory: directory, config: config, clock: clock)
        keyring = try RegistryKeyring(directory: directory, clock: clock, initialKey: signingKey)
    }

    // MARK: - Reading

    /// The stored packument of `name`, or nil when the package is unknown.
    public func packument(for name: PackageName) throws(RegistryError) -> PackumentDocument? {
        try packumentAndGeneration(for: name)?.document
    }

    /// The stored packument of `name` and the edit generation it belongs to: a rendering made
    /// from this document stays valid while the generation read with the document is unchanged.
    func packumentAndGeneration(for name: PackageName) throws(RegistryError) -> (document: PackumentDocument, generation: UInt64)? {
        for attempt in 1...Self.coldReadAttempts {
            let (cached, before) = cache.withLock { ($0.documents[name], $0.generation) }
            if let cached { return (cached, before) }
            guard let data = try AtomicFile.read(packumentURL(name), limit: RegistryLimits.maxPackumentBytes) else { return nil }
            let document = try decode(data, at: packumentURL(name))
            afterColdRead.withLock { $0 }?(name)
            // An edit that landed while we read from disk wins over what we read, and one that
            // left nothing cached (a deleted package) sends us back to the disk: what we read may
            // predate it (found by review: a read racing an unpublish kept the package served).
            let kept: (PackumentDocument, UInt64)? = cache.withLock { cache in
                if let newer = cache.documents[name] { return (newer, cache.generation) }
                guard cache.generation == before else { return nil }
                cache.documents[name] = document
                return (document, cache.generation)
            }
            if let kept { return kept }
            // Edits elsewhere keep moving the generation: answer with this read, cached nowhere, and
            // tagged with the generation it began in, which no later lookup will match.
            if attempt == Self.coldReadAttempts { return (document, before) }
        }
        return nil
    }

    /// How often a read from disk is tried again while edits land during it.
    static let coldReadAttempts = 4
    /// Called between a read from disk and its caching: tests land an edit there.
    let afterColdRead = Mutex<(@Sendable (PackageName) -> Void)?>(nil)

    /// Sets (or, with nil, drops) the cached packument of `name` after an edit, and bumps the generation.
    private func store(_ document: PackumentDocument?, for name: PackageName) {
        cache.withLock { cache in
            cache.documents[name] = document
            cache.generation &+= 1
        }
    }

    /// The tarball bytes of `name@version`, or nil when the packument lists no such version: a
    /// publish killed between its tarball and its packument leaves a file nothing may serve
    /// (found by review: it was served).
    public func tarball(for name: PackageName, version: String) throws(RegistryError) -> Data? {
        try PackageName.validate(version: version)
        guard hasVersion(name, version) else { return nil }
        return try AtomicFile.read(tarballURL(name, version: version), limit: RegistryLimits.maxTarballBytes)
    }

    /// Whether `name@version` is stored.
    public func hasVersion(_ name: PackageName, _ version: String) -> Bool {
        ((try? packument(for: name))??.versions[version]) != nil
    }

    /// Whether `name@version` was ever published here: stored, or unpublished since (its `time`
    /// entry stays, and the version can never be published again, as on npm's registry).
    public func wasPublished(_ name: PackageName, _ version: String) -> Bool {
        // A deleted package's versions too (found by review: the seeder published a deleted seed
        // again on every start, was refused, and the world never started).
        guard let document = ((try? packument(for: name)) ?? nil) ?? (try? unpublished(name))??.versions else { return false }
        return document.versions[version] != nil || document.time[version] != nil
    }

    /// Every stored package name, sorted.
    public func packageNames() -> [PackageName] {
        let manager = FileManager.default
        var names: [PackageName] = []
        for entry in (try? manager.contentsOfDirectory(atPath: packagesDirectory.path)) ?? [] {
            let candidates = entry.hasPrefix("@")
                ? ((try? manager.contentsOfDirectory(atPath: packagesDirectory.appendingPathComponent(entry).path)) ?? []).map { "\(entry)/\($0)" }
                : [entry]
            for candidate in candidates {
                if let name = try? PackageName(candidate), manager.fileExists(atPath: packumentURL(name).path) { names.append(name) }
            }
        }
        return names.sorted()
    }

    // MARK: - Writing

    /// Reads, edits and writes back one packument under that package's lock: edits of one
    /// package are serialised, different packages proceed in parallel.
    func update<T>(_ name: PackageName, _ edit: (inout PackumentDocument?) throws(RegistryError) -> T) throws(RegistryError) -> T {
        try locks.lock(for: name).withLock { _ throws(RegistryError) -> T in
            var document: PackumentDocument? = cache.withLock { $0.documents[name] }
            if document == nil, let data = try AtomicFile.read(packumentURL(name), limit: RegistryLimits.maxPackumentBytes) {
                document = try decode(data, at: packumentURL(name))
            }
            let before = document
            let result = try edit(&document)
            if let document, document != before {
                let data: Data
                do { data = try JSONValue.object(document.json).serialized(pretty: true) } catch {
                    throw .storage(path: packumentURL(name).path, reason: "cannot serialise: \(error)")
                }
                try AtomicFile.write(data, to: packumentURL(name))
                store(document, for: name)
            }
            return result
        }
    }

    /// Moves a package's folder out of the way and deletes it, under that package's lock, after
    /// `first` has seen (and may refuse) the packument being removed.
    func removePackage(_ name: PackageName, first: (PackumentDocument) throws(RegistryError) -> Void) throws(RegistryError) {
        try locks.lock(for: name).withLock { _ throws(RegistryError) in
            let folder = packageDirectory(name)
            var current: PackumentDocument? = cache.withLock { $0.documents[name] }
            if current == nil, let data = try AtomicFile.read(packumentURL(name), limit: RegistryLimits.maxPackumentBytes) {
                current = try decode(data, at: packumentURL(name))
            }
            guard let current else { throw .packageNotFound(name.description) }
            try first(current)
            let grave = folder.deletingLastPathComponent().appendingPathComponent(".deleted-\(UUID().uuidString)")
            do { try FileManager.default.moveItem(at: folder, to: grave) } catch {
                throw .storage(path: folder.path, reason: "cannot delete: \(error.localizedDescription)")
            }
            // The rename is the deletion: make it durable before answering.
            try AtomicFile.syncDirectory(folder.deletingLastPathComponent())
            try? FileManager.default.removeItem(at: grave)
            store(nil, for: name)
        }
    }

    /// Writes a tarball file (called inside ``update(_:_:)``, before the packument names it).
    func writeTarball(_ data: Data, for name: PackageName, version: String) throws(RegistryError) {
        try AtomicFile.write(data, to: tarballURL(name, version: version))
    }

    /// The current time for `time` stamps.
    var now: Date { clock() }

    // MARK: - Paths

    private var packagesDirectory: URL { URL(fileURLWithPath: packagesPath, isDirectory: true) }

    func packageDirectory(_ name: PackageName) -> URL { URL(fileURLWithPath: packagePath(name), isDirectory: true) }

    /// `<directory>/packages/[@scope/]<name>`; names are validated, so they are safe path components.
    func packagePath(_ name: PackageName) -> String {
        name.scope.map { "\(packagesPath)/@\($0)/\(name.unscoped)" } ?? "\(packagesPath)/\(name.unscoped)"
    }

    private func packumentURL(_ name: PackageName) -> URL {
        URL(fileURLWithPath: "\(packagePath(name))/packument.json", isDirectory: false)
    }

    func tarballURL(_ name: PackageName, version: String) -> URL {
        URL(fileURLWithPath: "\(packagePath(name))/tarballs/\(name.tarballFileName(version: version))", isDirectory: false)
    }

    private func decode(_ data: Data, at url: URL) throws(RegistryError) -> PackumentDocument {
        guard let json = (try? JSONValue.parse(data, maxDepth: RegistryLimits.maxJSONDepth))?.objectValue else {
            throw .storage(path: url.path, reason: "not a JSON object")
        }
        return PackumentDocument(json: json)
    }
}
