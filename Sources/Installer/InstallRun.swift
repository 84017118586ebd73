import FoundationEssentials
import RegistryClient
import Semver

/// One `install`, `ci` or `resolve`: the context every part of the run shares instead of having
/// it threaded through them. It carries the phase clock, the warnings, progress, the blocking
/// pool and the run's package jobs (so a failure cancels the rest), and it finishes and reports.
final class InstallRun: Sendable {
    /// `install`, `ci` or `resolve`, for the report.
    let command: String
    let prefix: URL
    let clock = PhaseClock()
    let progress: InstallProgress
    let pool: BlockingPool
    /// What the installer verifies with, for the gates and the report.
    let provenance: ProvenanceSettings
    /// The default registry, for the report.
    let registry: String
    /// The node and npm the resolver prefers versions for, as npm-pick-manifest does.
    let engines: EngineVersions
    /// What the run's packages have unpacked, against the installer's budget.
    let unpacked: UnpackTally
    /// Which packages npm's settings leave off disk (`--omit`), and the platform optional ones are
    /// checked against.
    let scope: InstallScope
    private let log: WarningLog
    /// The package jobs, a bounded number at a time: a live task (and its responses) per package
    /// would hold the whole tree's bundles at once.
    private let jobs = JobQueue(width: InstallRun.jobWidth(cores: ProcessInfo.processInfo.activeProcessorCount))

    /// Package jobs at once: four per core, and never fewer than 64. A job waits on two requests
    /// (tarball, attestations) and then verifies, so a shallow queue leaves the cores idle while
    /// every job waits on the network. On 2 cores, with the full-verification bench's N=1000 tree
    /// (1,189 packages), 8 jobs took 1.54 s and 64 took 1.38 s, for 2.2 MiB more peak memory;
    /// above 64 the time stayed flat and memory kept growing.
    static func jobWidth(cores: Int) -> Int { max(64, 4 * cores) }

    init(_ command: String, prefix: URL, registry: String, provenance: ProvenanceSettings, pool: BlockingPool,
         engines: EngineVersions = .unknown, unpackBudget: UnpackBudget = .default, scope: InstallScope = InstallScope(),
         progress: @escaping InstallProgress) {
        unpacked = UnpackTally(unpackBudget)
        self.scope = scope
        self.command = command
        self.engines = engines
        self.prefix = prefix
        self.registry = registry
        self.provenance = provenance
        self.pool = pool
        self.progress = progress
        log = WarningLog(progress: progress)
    }

    /// A run of `installer`'s, with its settings, pool and progress.
    convenience init(_ command: String, prefix: URL, installer: Installer) {
        self.init(command, prefix: prefix, registry: installer.client.configuration.registry,
                  provenance: installer.provenance, pool: installer.pool, engines: installer.engines,
                  unpackBudget: installer.unpackBudget, scope: installer.client.configuration.installScope,
                  progress: installer.progress)
    }

    /// What npm's reify checks optional packages against: the `os`, `cpu` and `libc` settings, else this machine.
    var optionalPlatform: Platform { Platform(overriding: scope) }

    /// Records `message` for the report and shows it now.
    func warn(_ message: String) { log.warn(message) }

    /// Every warning so far, in order.
    var warnings: [String] { log.all }

    // MARK: - Jobs and cancellation

    /// Queues `work` as one of the run's jobs; it starts as soon as a worker is free.
    func spawn(_ work: @escaping @Sendable () async throws -> PackageOutcome) {
        jobs.enqueue(work)
    }

    /// Waits for every job; on the first failure (in spawn order) cancels the rest and throws.
    /// Returns each job's outcome, in the order they were spawned.
    func outcomes() async throws -> [PackageOutcome] {
        try await jobs.outcomes()
    }

    /// Cancels every job in flight and waits until none writes to staging any more.
    func cancel() async {
        await jobs.cancel()
    }
}
