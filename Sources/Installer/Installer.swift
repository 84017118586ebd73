import Foundation
import Integrity
import NpmModel
import NpmVerify
import RegistryClient

/// Installs npm packages into a flat `node_modules`, verifying every byte first.
///
/// Data flow: specs → packuments → ideal tree → per package, concurrently: attestations verified
/// (`ProvenanceGate`), registry signature verified (`SignatureGate`), tarball fetched and hashed
/// while streaming → integrity check → unpack into staging → swap into place → lockfile.
/// Nothing is placed before everything has verified.
public final class Installer: Sendable {
    let client: RegistryClient
    let cache: ContentCache
    let progress: InstallProgress
    let provenance: ProvenanceSettings
    let pool = BlockingPool(width: max(2, ProcessInfo.processInfo.activeProcessorCount))

    /// `provenance` says which Sigstore trust root attestations are verified against and how strict
    /// to be about packages without provenance (default: no trust root, nothing required).
    public init(client: RegistryClient, cache: ContentCache, provenance: ProvenanceSettings = ProvenanceSettings(),
                progress: @escaping InstallProgress = { _ in }) {
        self.client = client
        self.cache = cache
        self.provenance = provenance
        self.progress = progress
    }

    // MARK: - install

    /// `verify-install [<spec>...] --prefix DIR`: resolves package.json's dependencies plus `specs`,
    /// installs them, saves new specs to package.json and writes `package-lock.json` v3.
    public func install(prefix: URL, specs: [PackageSpec]) async throws -> InstallReport {
        let clock = PhaseClock()
        let existing = try ProjectManifest.load(prefix: prefix)
        if existing == nil, specs.isEmpty {
            throw InstallError(.usage, "nothing to install: \(prefix.path) has no package.json and no package spec was given")
        }
        var project = existing
            ?? ProjectManifest(json: ["name": .string(prefix.lastPathComponent)], file: prefix.appendingPathComponent("package.json"))
        var requests = project.dependencyRequests.filter { request in !specs.contains { $0.name.value == request.name } }
        requests += specs.map { DependencyRequest(name: $0.name.value, spec: $0.rawSpec, kind: .prod) }
        requests.sort { $0.name < $1.name }

        let staged = try StagedTree(prefix: prefix)
        defer { staged.discard() }
        let log = WarningLog(progress: progress)
        let pipeline = pipeline(staged: staged, log: log, clock: clock)
        let resolver = Resolver(client: client, rootName: project.name, warn: log.warn)
        var planned: [PlannedPackage] = []
        resolver.onEvent = { [progress] in progress($0) }
        var legacy = 0
        let locked = Self.previouslyLocked(prefix: prefix)
        resolver.onNewNode = { node in
            var package = try Self.plan(node, index: planned.count, legacy: &legacy, warn: log.warn)
            if let previous = locked[node.location], previous.name == package.target.name {
                package.attestations?.previouslyLocked = previous.version
            }
            planned.append(package)
            pipeline.start(package)
        }
        do {
            try await resolver.resolve(rootDependencies: requests)
        } catch {
            await pipeline.abandon()
            throw InstallError.wrap(error)
        }
        progress(.resolved(packages: planned.count))
        clock.mark("resolve")

        let flags = DependencyFlags(root: resolver.root)
        for i in planned.indices { flags.apply(to: &planned[i]) }
        for spec in specs {
            if let node = resolver.root.edges[spec.name.value]?.node {
                project.save(dependency: spec.name.value, spec: Self.savedSpec(spec, version: node.version))
            }
        }
        var lockfile = Lockfile(name: project.name, version: project.version, packages: ["": project.lockRootEntry])
        for package in planned { lockfile.packages[package.location] = package.lockEntry }

        let outcomes = try await finish(pipeline, planned: planned, staged: staged, clock: clock, log: log,
                                         lockfile: lockfile.serialized()) { if !specs.isEmpty { try project.write() } }
        return report("install", prefix: prefix, planned: planned, outcomes: outcomes, warnings: log.all,
                      lockfile: prefix.appendingPathComponent("package-lock.json").path, legacy: legacy, clock: clock)
    }

    // MARK: - shared tail

    /// The fetch → signature → integrity → unpack pipeline for one run.
    func pipeline(staged: StagedTree, log: WarningLog, clock: PhaseClock) -> PackagePipeline {
        let keys = RegistryKeyStore(client: client, trust: provenance.registryKeys,
                                    requireSignatures: provenance.requireSignatures || provenance.policy?.requireSignatures == true)
        return PackagePipeline(source: TarballSource(client: client, cache: cache, pool: pool),
                               signatures: SignatureGate(client: client, keys: keys),
                               provenance: ProvenanceGate(client: client, keys: keys, settings: provenance, pool: pool),
                               staged: staged, pool: pool, progress: progress, log: log, clock: clock)
    }

    /// Awaits fetch+verify+unpack of everything, then places the tree and swaps it in.
    func finish(_ pipeline: PackagePipeline, planned: [PlannedPackage], staged: StagedTree, clock: PhaseClock, log: WarningLog,
                lockfile: Data?, afterCommit: () throws -> Void) async throws -> [PackageOutcome] {
        let outcomes: [PackageOutcome]
        do { outcomes = try await pipeline.finish() } catch {
            throw InstallError.wrap(error)
        }
        clock.mark("fetch+verify+unpack")
        do {
            try staged.place(planned.map { ($0.index, $0.location) })
            for package in planned {
                let bins = outcomes[package.index].bins ?? package.bins
                guard !bins.isEmpty else { continue }
                BinLinks.link(name: package.target.name, bins: bins, location: package.location, in: staged.treeRoot, warn: log.warn)
            }
            try staged.commit(lockfile: lockfile)
            try afterCommit()
        } catch {
            throw InstallError.wrap(error)
        }
        progress(.placed(packages: planned.count))
        clock.mark("place")
        return outcomes
    }

    static func plan(_ node: TreeNode, index: Int, legacy: inout Int, warn: (String) -> Void) throws -> PlannedPackage {
        let manifest = node.manifest!
        let target = try TarballSource.target(for: manifest, warn: warn)
        if manifest.dist.integrity == nil { legacy += 1 }
        var entry = Lockfile.Entry(version: manifest.version, resolved: manifest.dist.tarball, integrity: target.integrity.description)
        entry.license = manifest.license
        entry.dependencies = manifest.dependencies
        entry.optionalDependencies = manifest.optionalDependencies
        entry.peerDependencies = manifest.peerDependencies
        entry.bin = manifest.bin
        entry.engines = manifest.engines
        entry.hasInstallScript = manifest.hasInstallScript
        var package = PlannedPackage(index: index, location: node.location, target: target, bins: manifest.bin, lockEntry: entry,
                                     evidence: SignatureGate.Evidence(manifest))
        package.attestations = ProvenanceGate.Evidence(manifest)
        return package
    }

    /// The versions the project's existing package-lock.json has, by install path (empty when unreadable).
    static func previouslyLocked(prefix: URL) -> [String: (name: String, version: String)] {
        let file = prefix.appendingPathComponent("package-lock.json")
        guard let data = FileManager.default.contents(atPath: file.path), let lock = try? Lockfile(data: data, file: file.path) else { return [:] }
        return lock.packages.reduce(into: [:]) { result, item in
            if let name = item.value.name ?? Lockfile.packageName(atPath: item.key), let version = item.value.version {
                result[item.key] = (name, version)
            }
        }
    }

    /// What `npm install <spec>` writes to package.json: `^version` for tags and bare names, else the spec.
    static func savedSpec(_ spec: PackageSpec, version: String) -> String {
        switch spec.kind {
        case .tag: "^\(version)"
        case .range(let r): r == "*" || r.isEmpty ? "^\(version)" : r
        case .version(let v): v
        }
    }

    func report(_ command: String, prefix: URL, planned: [PlannedPackage], outcomes: [PackageOutcome]?, warnings: [String],
                lockfile: String?, legacy: Int, clock: PhaseClock) -> InstallReport {
        let packages = planned.map { p in
            InstalledPackage(name: p.target.name, version: p.target.version, path: p.location, resolved: p.target.url,
                             integrity: p.target.integrity.description, dev: p.dev, optional: p.optional,
                             fromCache: outcomes.map { $0[p.index].fromCache }, provenance: outcomes?[p.index].provenance)
        }.sorted { $0.path < $1.path }
        let unsigned = outcomes?.filter { $0.signature == .registryHasNoKeys }.count ?? 0
        let notChecked = unsigned > 0 ? ["their registry publishes no signing keys": unsigned] : [:]
        var report = InstallReport(command: command, prefix: prefix.path, registry: client.configuration.registry, packages: packages,
                             warnings: warnings, lockfile: lockfile, timings: clock.timings,
                             verified: .init(integrity: outcomes == nil ? 0 : planned.count, legacySHA1Only: legacy,
                                             registrySignatures: outcomes?.filter { $0.signature == .verified }.count ?? 0,
                                             unsignedRegistry: unsigned,
                                             provenance: outcomes?.filter { $0.provenance?.status == .verified }.count ?? 0,
                                             withoutProvenance: outcomes?.filter { $0.provenance?.status == .unverified }.count ?? 0,
                                             trustedRoot: provenance.trustedRootSource, signaturesNotChecked: notChecked))
        report.trustNotice = provenance.fixtureWorld ? InstallReport.fixtureWorldNotice : nil
        return report
    }
}
