import FoundationEssentials
import Glibc
import Integrity
import NpmModel
import Synchronization
import Tarball

/// Fetches, verifies and unpacks planned packages concurrently, each as one job of the run,
/// queued as soon as the package is planned and run by a few workers at a time.
final class PackagePipeline: Sendable {
    private let run: InstallRun
    private let source: TarballSource
    private let signatures: SignatureGate
    private let provenance: ProvenanceGate
    private let staged: StagedTree
    private let counters = Mutex<(fetched: Int, total: Int)>((0, 0))

    init(run: InstallRun, source: TarballSource, signatures: SignatureGate, provenance: ProvenanceGate, staged: StagedTree) {
        self.run = run
        self.source = source
        self.signatures = signatures
        self.provenance = provenance
        self.staged = staged
    }

    /// Queues `package` for fetch, verification and unpacking.
    func start(_ package: PlannedPackage) {
        let planned = counters.withLock { $0.total += 1; return $0.total }
        if planned.isMultiple(of: Self.expectationStep) {
            provenance.expectVerifications(packages: planned)
            signatures.expectVerifications(packages: planned)
        }
        run.spawn { [self] in try await process(package) }
    }

    /// Every this many planned packages, the logs' and the registry's keys are told how many
    /// verifications are coming (`PublicKey.expectVerifications`): in a large tree they are then
    /// prepared once in use, not after hundreds of plain verifications.
    static let expectationStep = 128

    /// Attestations, then the registry signature, then the bytes: nothing is fetched for a package
    /// whose claims fail. The bytes must then confirm every claim before they are unpacked.
    private func process(_ package: PlannedPackage) async throws -> PackageOutcome {
        var provenance: PackageProvenance?
        var signature: SignatureGate.Outcome?
        if let evidence = package.evidence {
            provenance = try await self.provenance.check(evidence)
            signature = try await signatures.check(evidence)
        }
        let tarball = staged.tarballFile(package.index)
        defer { _ = unlink(tarball.path) }  // a private regular file, or not created at all
        let (verified, fromCache) = try await source.fetch(package.target, into: tarball)
        // One identity: the SHA-512 of the bytes we hold must be what every claim named.
        for claim in package.allClaims {
            do { try verified.confirm(claim.integrity, subject: package.target.subject, claim: claim.source) } catch {
                throw InstallError(.verification, "\(error)")
            }
        }
        if !fromCache { try await source.store(verified) }
        let done = counters.withLock { c -> (Int, Int) in c.fetched += 1; return (c.fetched, c.total) }
        run.progress(.fetched(name: package.target.name, version: package.target.version, fromCache: fromCache, done: done.0, total: done.1))
        let destination = staged.unpackDirectory(package.index)
        try await unpack(verified, of: package, into: destination)
        let carried = BundledPackages.names(in: destination)
        if let bundled = BundledPackages.warning(package.target.subject, carried) { run.warn(bundled) }
        // What the registry manifest or the lockfile entry (ci) names as bundled: never fewer than either.
        let declared = (package.manifest?.bundledDependencies ?? []).union(package.lockEntry.bundleDependencies)
        let missing = declared.subtracting(carried).sorted()
        if !missing.isEmpty {
            run.warn("\(package.target.subject) declares bundled dependencies its tarball does not carry (\(missing.joined(separator: ", "))): they are not installed, as npm does not install them")
        }
        // Read (or refused: `TarballIdentity`) as npm would read it; nil when there is none.
        let own = try TarballIdentity.confirm(UnpackedManifest.read(directory: destination), of: package.target)
        try self.provenance.checkDeclaredRepository(own, name: package.target.name, version: package.target.version,
                                                    builtBy: provenance?.builtBy)
        // Bins and install scripts are the verified tarball's word; the packument's (install) is
        // only a claim, compared for a warning ("manifest confusion"). The lockfile's (ci) is what
        // `npm ci` links, so there a difference is refused (found by review: a lockfile linked
        // `.bin/ls` into a package that has no bins).
        let bins = TarballBins.read(own, unpacked: destination, name: package.target.name)
        if !TarballBins.same(TarballBins.normalised(bins), TarballBins.normalised(package.lockEntry.bin)) {
            let differ = "the bins given for it (\(TarballBins.listed(package.lockEntry.bin))) differ from its own package.json (\(TarballBins.listed(bins)))"
            if run.command == "ci" {
                throw InstallError(.verification, "\(package.target.subject) at \(package.location): \(differ): npm ci would link the lockfile's; re-lock it (verify-install install records the tarball's)")
            }
            run.warn("\(package.target.subject): \(differ); linked its own")
        }
        let installScript = Self.installScript(own, in: destination, of: package, warn: run.warn)
        return PackageOutcome(fromCache: fromCache, signature: signature, provenance: provenance, bins: bins, hasInstallScript: installScript,
                              bundled: carried.isEmpty ? [] : BundledPackages.entries(in: destination, declared: declared),
                              identity: verified.identity.description)
    }

    /// Whether npm may run an install script for the package: its tarball's package.json (`own`,
    /// nil when there is none) has one (or a binding.gyp), or the metadata given for it declares
    /// one (npm runs the metadata's scripts when it has them). Never fewer than npm.
    static func installScript(_ own: UnpackedManifest?, in destination: URL, of package: PlannedPackage,
                              warn: (String) -> Void) -> Bool {
        let subject = package.target.subject, declared = package.lockEntry.hasInstallScript
        guard let own else {
            var status = stat()
            return declared || lstat(destination.appendingPathComponent("binding.gyp").path, &status) == 0
        }
        let inTarball = own.hasInstallScript(in: destination)
        if inTarball, !declared {
            warn("\(subject) has an install script (preinstall, install, postinstall or binding.gyp) that the metadata given for it does not declare (hasInstallScript)")
        } else if declared, !inTarball {
            warn("the metadata given for \(subject) declares an install script (hasInstallScript or scripts) that its tarball's package.json does not have: npm runs the metadata's scripts when it has them, so it is listed as having one")
        }
        return inTarball || declared
    }

    /// Unpacks on the blocking pool; only `VerifiedBytes` reach the unpacker.
    private func unpack(_ verified: VerifiedBytes, of package: PlannedPackage, into destination: URL) async throws {
        do {
            let summary = try await run.pool.run { [clock = run.clock] in
                // Timed inside the pool, so queueing for a thread is not counted as work.
                let start = ContinuousClock.now
                defer { clock.add("unpack", ContinuousClock.now - start) }
                // The staging folder exists until the run ends or is interrupted: never made again.
                return try TarballUnpacker(createsParents: false).unpack(verified, into: destination)  // bin targets: TarballBins
            }
            try run.unpacked.add(summary, of: package.target.subject)
        } catch let error as TarballError {
            throw InstallError(.verification, "\(package.target.subject) (\(package.target.url)): unsafe or corrupt tarball: \(error)")
        }
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
    /// The bins of the verified tarball's own package.json (linked, and recorded in the lockfile).
    let bins: [String: String]
    /// Whether the verified tarball has an install script (recorded in the lockfile).
    let hasInstallScript: Bool
    /// The lockfile entries of what the tarball bundles, by path below the package.
    let bundled: [(path: String, entry: Lockfile.Entry)]
    /// `sha512-<base64>` of the bytes verified: the package's identity.
    let identity: String
}
