public import FoundationEssentials
public import Semver
import Integrity
public import NpmModel
import NpmVerify
import OpenSSLCrypto
public import RegistryClient
import SafeJSON

/// Installs npm packages into a flat `node_modules`, verifying every byte first.
///
/// Data flow: specs → packuments → ideal tree → per package, concurrently: attestations verified
/// (`ProvenanceGate`), registry signature verified (`SignatureGate`), tarball fetched and hashed
/// while streaming → integrity check → unpack into staging → swap into place → lockfile.
/// Nothing is placed before everything has verified. Each command is one `InstallRun`.
public final class Installer: Sendable {
    let client: RegistryClient
    let cache: ContentCache
    let progress: InstallProgress
    let provenance: ProvenanceSettings
    /// The node and npm whose `engines` npm would prefer versions for.
    let engines: EngineVersions
    let pool = BlockingPool(width: max(2, ProcessInfo.processInfo.activeProcessorCount))
    /// The most a run may unpack, all packages together.
    let unpackBudget: UnpackBudget

    /// `provenance` says which Sigstore trust root attestations are verified against and how strict
    /// to be about packages without provenance (default: no trust root, nothing required);
    /// `engines`, which node and npm npm would pick versions for (default: unknown, ignored);
    /// `unpackBudget`, the most a run unpacks, all packages together.
    public init(client: RegistryClient, cache: ContentCache, provenance: ProvenanceSettings = ProvenanceSettings(),
                engines: EngineVersions = .unknown, unpackBudget: UnpackBudget = .default,
                progress: @escaping InstallProgress = { _ in }) {
        self.unpackBudget = unpackBudget
        self.client = client
        self.cache = cache
        self.provenance = provenance
        self.engines = engines
        self.progress = progress
    }

    // MARK: - install

    /// Locks the project for this run (``ProjectLock``), then puts back what interrupted runs left,
    /// before anything reads the project's files; nil when the folder does not exist (there is
    /// nothing to lock or recover, and reading it fails next).
    static func lockAndRecover(_ prefix: URL, warn: (String) -> Void) throws -> ProjectLock? {
        guard FileManager.default.fileExists(atPath: prefix.path) else { return nil }
        let lock = try ProjectLock(prefix: prefix)
        try StagingRecovery.recover(prefix: prefix, projectFiles: StagedTree.projectFiles, warn: warn)
        return lock
    }

    /// Staging folders of `prefix` in which an install died in the middle of its commit (found by
    /// review: audit passed such a project without a word, though its lockfile and tree disagreed).
    public static func interruptedCommits(prefix: URL) -> [URL] {
        StagingRecovery.interruptedCommits(prefix: prefix)
    }

    /// For a SIGINT or SIGTERM handler: removes the staging folders of installs in progress, each
    /// after its commit (if one is running) finished or rolled back, so node_modules stays whole,
    /// and the cache files being written.
    /// Returns the projects whose new node_modules and files were already in place (found by
    /// review: such a run exited 130 without a word, as if nothing had changed).
    @discardableResult
    public static func abandonStagedTrees() -> [URL] {
        defer { CacheTemporaries.shared.removeAll() }
        return StagingRegistry.abandonAll()
    }

    /// `verify-install [<spec>...] --prefix DIR`: resolves package.json's dependencies plus `specs`,
    /// installs them, saves new specs to package.json and writes `package-lock.json` v3.
    public func install(prefix: URL, specs: [PackageSpec]) async throws -> InstallReport {
        let run = InstallRun("install", prefix: prefix, installer: self)
        let lock = try Self.lockAndRecover(prefix, warn: run.warn)
        defer { withExtendedLifetime(lock) {} }
        let existing = try ProjectManifest.load(prefix: prefix)
        try existing?.refuseWorkspaces("install")
        if existing == nil, specs.isEmpty {
            throw InstallError(.usage, "nothing to install: \(prefix.path) has no package.json and no package spec was given")
        }
        var project = existing
            ?? ProjectManifest(json: [:], file: prefix.appendingPathComponent("package.json"))  // npm writes no name
        let staged = try StagedTree(prefix: prefix)
        defer { staged.discard(warn: run.warn) }
        let lockName = ProjectFile.lockfile(in: prefix).lastPathComponent
        let planner = InstallPlanner(run: run, pipeline: pipeline(run, staged: staged),
                                     locked: try InstallPlanner.previouslyLocked(prefix: prefix))
        let resolver = Resolver(client: client, rootName: project.name, run: run, sink: planner,
                                overrides: try existing.map(Overrides.init) ?? Overrides())
        do { try await resolver.resolve(rootDependencies: Self.requests(project, specs: specs)) } catch {
            await run.cancel()
            throw InstallError.wrap(error)
        }
        run.progress(.resolved(packages: planner.planned.count))
        run.clock.mark("resolve")
        planner.flag(from: resolver.root)
        if let refusal = PlatformCheck.refusal(planner.planned) {
            await run.cancel()
            throw refusal
        }
        planner.leaveOutOptionalSets(root: resolver.root, platform: run.optionalPlatform, engines: engines)
        for package in planner.planned where package.leftOutBecause != nil {
            run.warn("left out \(package.target.subject) at \(package.location): \(package.leftOutBecause!); verified and recorded in the lockfile for other machines, as npm records it, not placed")
        }
        for spec in specs {
            if let node = resolver.root.edges[spec.name.value]?.node {
                project.save(dependency: spec.name.value, spec: Self.savedSpec(spec, version: node.version,
                                                                               prefix: client.configuration.savePrefix))
            }
        }
        let outcomes = try await run.finish(planned: planner.planned, staged: staged, project: project, projectFiles: { [planned = planner.planned, project] outcomes in
            var files = [(name: lockName, data: Self.lockfile(project, planned: planned, outcomes: outcomes).serialized())]
            if !specs.isEmpty { files.append((name: "package.json", data: project.rendered())) }
            return files
        })
        return run.report(planned: planner.planned.filter { $0.leftOutBecause == nil }, outcomes: outcomes,
                          lockfile: prefix.appendingPathComponent(lockName).path)
    }

    /// The lockfile npm writes for the placed tree, recording what the verified tarballs declare
    /// (bins, as linked; install scripts; bundled entries).
    static func lockfile(_ project: ProjectManifest, planned: [PlannedPackage], outcomes: [PackageOutcome]) -> Lockfile {
        var lockfile = Lockfile(name: project.name, version: project.version, packages: ["": project.lockRootEntry])
        for package in planned {
            var entry = package.lockEntry
            entry.bin = outcomes[package.index].bins
            entry.hasInstallScript = outcomes[package.index].hasInstallScript
            entry.integrity = Self.lockedIntegrity(entry.integrity, identity: outcomes[package.index].identity)
            lockfile.packages[package.location] = entry
            for (path, bundled) in outcomes[package.index].bundled { lockfile.packages["\(package.location)/\(path)"] = bundled }
        }
        return lockfile
    }

    /// The registry's integrity, led by the SHA-512 we computed when the registry gave only a
    /// weaker digest (found by review: a `sha1-` entry let `npm ci` check SHA-1 alone, which a
    /// prepared collision defeats). npm's ssri checks the strongest algorithm of the string.
    /// Read as ci reads it (found by review: a tab-separated `sha1-… sha512-…` was taken for one
    /// without SHA-512 and led by a second one, which the next ci refused).
    static func lockedIntegrity(_ integrity: String?, identity: String) -> String {
        guard let integrity, let parsed = try? SubresourceIntegrity(integrity) else { return identity }
        return parsed.digest(.sha512) != nil ? integrity : identity + " " + integrity
    }

    /// package.json's dependencies, with `specs` replacing any of the same name, in name order.
    static func requests(_ project: ProjectManifest?, specs: [PackageSpec]) -> [DependencyRequest] {
        var requests = (project?.dependencyRequests ?? []).filter { request in !specs.contains { $0.name.value == request.name } }
        requests += specs.map { DependencyRequest(name: $0.name.value, spec: $0.rawSpec, kind: .prod) }
        return requests.sorted { $0.name < $1.name }
    }

    /// The fetch → signature → integrity → unpack pipeline for one run.
    func pipeline(_ run: InstallRun, staged: StagedTree) -> PackagePipeline {
        let keys = RegistryKeyStore(client: client, trust: provenance.registryKeys,
                                    requireSignatures: provenance.requireSignatures || provenance.policy?.requireSignatures == true)
        return PackagePipeline(run: run, source: TarballSource(client: client, cache: cache, run: run),
                               signatures: SignatureGate(client: client, keys: keys, run: run),
                               provenance: ProvenanceGate(client: client, keys: keys, run: run, cache: cache), staged: staged)
    }

    /// What `npm install <spec>` writes to package.json, as arborist's reify does: npm's
    /// save-prefix (`^` unless `.npmrc` says otherwise; empty under save-exact) and the version,
    /// unless a range was given that this prefix range is not a subset of (`~1.1` stays `~1.1`;
    /// `1` and `>=1` become `^1.1.0`, as `a@1.1.0` does).
    static func savedSpec(_ spec: PackageSpec, version: String, prefix: String) -> String {
        let prefixRange = prefix + version
        guard case .range(let given) = spec.kind, given != "*", !given.isEmpty else { return prefixRange }
        guard let saved = try? VersionRange(prefixRange, loose: true), let asked = try? VersionRange(given, loose: true),
              saved.isSubset(of: asked) else { return given }
        return prefixRange
    }
}
