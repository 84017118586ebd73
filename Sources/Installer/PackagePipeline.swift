import Foundation
import Synchronization
import Tarball

/// Fetches, verifies and unpacks planned packages concurrently, as soon as each is planned.
final class PackagePipeline: Sendable {
    private let source: TarballSource
    private let staged: StagedTree
    private let pool: BlockingPool
    private let progress: InstallProgress
    private let log: WarningLog
    private let jobs = Mutex<[Task<PackageOutcome, any Error>]>([])
    private let signatures: SignatureGate
    private let provenance: ProvenanceGate
    private let clock: PhaseClock
    private let counters = Mutex<(fetched: Int, total: Int)>((0, 0))

    init(source: TarballSource, signatures: SignatureGate, provenance: ProvenanceGate, staged: StagedTree, pool: BlockingPool,
         progress: @escaping InstallProgress, log: WarningLog, clock: PhaseClock) {
        self.signatures = signatures
        self.provenance = provenance
        self.clock = clock
        self.source = source
        self.staged = staged
        self.pool = pool
        self.progress = progress
        self.log = log
    }

    /// Starts work on `package` right away.
    func start(_ package: PlannedPackage) {
        counters.withLock { $0.total += 1 }
        let task = Task { [self] in
            // Attestations, then the registry signature, then the bytes: nothing is fetched for a package whose claims fail.
            var provenance: PackageProvenance?
            if let attestations = package.attestations {
                provenance = try await self.provenance.check(attestations, clock: clock, warn: log.warn)
            }
            var signature: SignatureGate.Outcome?
            if let evidence = package.evidence { signature = try await signatures.check(evidence, clock: clock) }
            let tarball = staged.tarballFile(package.index)
            defer { try? FileManager.default.removeItem(at: tarball) }
            let (verified, fromCache) = try await source.fetch(package.target, into: tarball, warn: log.warn)
            // One identity: the SHA-512 of the bytes we hold must be what every claim named.
            for claim in package.allClaims {
                do { try verified.confirm(claim.integrity, subject: package.target.subject, claim: claim.source) } catch {
                    throw InstallError(.verification, "\(error)")
                }
            }
            let done = counters.withLock { c -> (Int, Int) in c.fetched += 1; return (c.fetched, c.total) }
            progress(.fetched(name: package.target.name, version: package.target.version, fromCache: fromCache, done: done.0, total: done.1))
            let destination = staged.unpackDirectory(package.index)
            let executables = Set(package.bins.values.compactMap(BinLinks.normalised))
            do {
                _ = try await pool.run { [clock] in
                    // Timed inside the pool, so queueing for a thread is not counted as work.
                    let start = ContinuousClock.now
                    defer { clock.add("unpack", ContinuousClock.now - start) }
                    switch verified.content {
                    case .file(let file): return try TarballUnpacker().unpack(file: file, into: destination, executablePaths: executables)
                    case .memory(let data): return try TarballUnpacker().unpack(data, into: destination, executablePaths: executables)
                    }
                }
            } catch let error as TarballError {
                throw InstallError(.verification, "\(package.target.subject) (\(package.target.url)): unsafe or corrupt tarball: \(error)")
            }
            let own = UnpackedManifest(directory: destination)
            try self.provenance.checkDeclaredRepository(own, name: package.target.name, version: package.target.version,
                                                        builtBy: provenance?.builtBy, warn: log.warn)
            let bins = package.binsFromTarball ? TarballBins.read(own, unpacked: destination, name: package.target.name) : nil
            return PackageOutcome(fromCache: fromCache, signature: signature, provenance: provenance, bins: bins)
        }
        jobs.withLock { $0.append(task) }
    }

    /// Waits for every job; on the first failure cancels the rest, waits for them, and throws.
    /// Returns each package's outcome, by package index.
    func finish() async throws -> [PackageOutcome] {
        let tasks = jobs.withLock { $0 }
        var results: [PackageOutcome] = []
        var firstError: (any Error)?
        for task in tasks {
            do {
                results.append(try await task.value)
            } catch {
                if firstError == nil {
                    firstError = error
                    tasks.forEach { $0.cancel() }
                }
            }
        }
        if let firstError { throw firstError }
        return results
    }

    /// Cancels everything in flight and waits until nothing writes to staging any more.
    func abandon() async {
        let tasks = jobs.withLock { $0 }
        tasks.forEach { $0.cancel() }
        for task in tasks { _ = try? await task.value }
    }
}

/// What happened to one package on its way in.
struct PackageOutcome: Sendable {
    /// True when the tarball came from the (re-verified) cache.
    let fromCache: Bool
    /// nil when the registry gave no integrity to check a signature over.
    let signature: SignatureGate.Outcome?
    /// nil for packages that did not come from a registry manifest.
    let provenance: PackageProvenance?
    /// The bins of the verified tarball's own package.json, when they are read from there (`ci`).
    var bins: [String: String]? = nil
}
