import DurableFile
import FoundationEssentials
import Integrity
import NpmModel
import OpenSSLCrypto
import RegistryClient

extension InstallRun {
    /// Awaits fetch+verify+unpack of every package, then places the tree, links bins and swaps it
    /// in together with `projectFiles` (the lockfile, package.json, made from the outcomes alone
    /// while the tree is placed): all of it, or nothing. `checkPlaced` runs on the placed tree
    /// before the commit; throwing there, or in `projectFiles`, stops it. A package `--omit`
    /// leaves out is verified (the lockfile records it) but not placed, as npm's reify trashes it.
    func finish(planned: [PlannedPackage], staged: StagedTree, project: ProjectManifest,
                projectFiles: ([PackageOutcome]) throws -> [(name: String, data: Data)] = { _ in [] },
                checkPlaced: () throws -> Void = {}) async throws -> [PackageOutcome] {
        let outcomes: [PackageOutcome]
        do { outcomes = try await self.outcomes() } catch {
            throw InstallError.wrap(error)
        }
        clock.mark("fetch+verify+unpack")
        let placed = planned.filter { !$0.isOmitted(by: scope) && $0.leftOutBecause == nil }
        do {
            // The lockfiles are made from the outcomes alone: they are serialised here while the
            // pool moves the packages into place, instead of after (each took 10-25 ms in turn).
            async let placing: Void = pool.run { [locations = placed.map { ($0.index, $0.location) }] in
                try staged.place(locations)
            }
            let hidden = Self.hiddenLockfile(project, placed: placed, outcomes: outcomes)
            let files = try projectFiles(outcomes)
            try await placing
            try checkPlaced()
            // In arborist's order (depth, then path as it collates them): the first package to
            // claim a bin name keeps it (found by review: placement order gave a contested name
            // to another package than npm does).
            for package in Self.inBinOrder(placed.filter { !outcomes[$0.index].bins.isEmpty }) {
                BinLinks.link(name: package.target.name, bins: outcomes[package.index].bins, location: package.location,
                              in: staged.treeRoot, warn: warn)
            }
            if let hidden {
                try DurableFile.replace(staged.treeRoot.appendingPathComponent("node_modules/.package-lock.json"), with: hidden)
            }
            try staged.commit(projectFiles: files)
        } catch {
            throw InstallError.wrap(error)
        }
        progress(.placed(packages: placed.count))
        clock.mark("place")
        return outcomes
    }

    /// arborist's `sortNodes`: shallower first, then by path in `Intl.Collator('en')` order.
    static func inBinOrder(_ packages: [PlannedPackage]) -> [PlannedPackage] {
        // Names along the path, not pieces of it (found by review: `anode_modules` counted twice),
        // counted once per package rather than once per comparison.
        let depths = packages.map { Lockfile.installPathNames($0.location)?.count ?? Int.max }
        return packages.indices.sorted { a, b in
            depths[a] != depths[b] ? depths[a] < depths[b] : LocaleOrder.precedes(packages[a].location, packages[b].location)
        }.map { packages[$0] }
    }

    /// The bytes of npm's hidden lockfile, `node_modules/.package-lock.json`: the lockfile of what
    /// is placed, without a root entry, written after the tree so that npm's check (no package
    /// folder newer than it) holds; nil when nothing is placed. npm and `verify-install audit` read
    /// it to tell which folders an install placed and from where (found by review: without it, the
    /// audit of our own trees ran in its weaker mode).
    static func hiddenLockfile(_ project: ProjectManifest, placed: [PlannedPackage], outcomes: [PackageOutcome]) -> Data? {
        guard !placed.isEmpty else { return nil }  // no node_modules, no hidden lockfile (as npm removes it)
        var hidden = Installer.lockfile(project, planned: placed, outcomes: outcomes)
        hidden.packages[""] = nil
        return hidden.serialized()
    }

    /// The run's report: every package (sorted by path), what verified, the warnings and timings.
    /// `outcomes` is nil for `resolve`, which fetches no tarball.
    func report(planned: [PlannedPackage], outcomes: [PackageOutcome]?, lockfile: String?,
                lockedBundled: [String: Lockfile.Entry] = [:]) -> InstallReport {
        // Where no claim (lockfile, registry) offers more than SHA-1, SHA-1 alone binds the bytes: said, never silent.
        // The target's own digest first: a sha512 there settles it without parsing any claim.
        let sha1Only = planned.filter { package in
            package.target.integrity.strongestAlgorithm == .sha1
                && package.allClaims.allSatisfy { $0.integrity.strongestAlgorithm == .sha1 }
        }
        for package in sha1Only {
            warn("\(package.target.subject): only a legacy SHA-1 digest binds its bytes (\(package.target.integrity)); no lockfile or registry claim offers a stronger one")
        }
        // `ci` keeps the lockfile, and `npm ci` checks only its strongest digest (found by review).
        for package in planned where command == "ci" && package.target.integrity.strongestAlgorithm == .sha1
            && !sha1Only.contains(where: { $0.location == package.location }) {
            warn("\(package.target.subject) at \(package.location): the lockfile records only a SHA-1 digest (\(package.target.integrity)); its bytes matched the registry's stronger one here, but `npm ci` will check SHA-1 alone: re-lock it (`verify-install install` writes sha512)")
        }
        let packages = planned.map { p in
            InstalledPackage(name: p.target.name, version: p.target.version, path: p.location, resolved: p.target.url,
                             integrity: p.target.integrity.description, dev: p.dev, optional: p.optional,
                             fromCache: outcomes.map { $0[p.index].fromCache }, provenance: outcomes?[p.index].provenance,
                             omitted: p.isOmitted(by: scope) ? true : nil)
        }.sorted { $0.path < $1.path }
        var report = InstallReport(command: command, prefix: prefix.path, registry: registry, packages: packages,
                                   warnings: warnings, lockfile: lockfile, timings: clock.timings,
                                   verified: verification(count: planned.count, outcomes: outcomes.map { all in planned.map { all[$0.index] } },
                                                          legacy: sha1Only.count))
        report.trustNotice = provenance.fixtureWorld ? InstallReport.fixtureWorldNotice : nil
        report.omitted = packages.filter { $0.omitted == true }.map { "\($0.name)@\($0.version) at \($0.path)" }
        if let outcomes { report.installScripts = Self.installScripts(planned, outcomes, lockedBundled: lockedBundled) }
        return report
    }

    private func verification(count: Int, outcomes: [PackageOutcome]?, legacy: Int) -> InstallReport.Verification {
        func counted(_ include: (PackageOutcome) -> Bool) -> Int { outcomes?.filter(include).count ?? 0 }
        let unsigned = counted { $0.signature == .registryHasNoKeys }
        let keySources = (outcomes ?? []).compactMap { outcome -> String? in
            guard case .verified(let source) = outcome.signature else { return nil }
            return source
        }
        return .init(integrity: outcomes == nil ? 0 : count, legacySHA1Only: legacy,
                     registrySignatures: keySources.count, signatureKeys: Set(keySources).sorted(), unsignedRegistry: unsigned,
                     provenance: counted { $0.provenance?.status == .verified },
                     withoutProvenance: counted { $0.provenance?.status == .unverified },
                     trustedRoot: provenance.trustedRootSource,
                     signaturesNotChecked: unsigned > 0 ? ["their registry publishes no signing keys": unsigned] : [:])
    }

    /// `name@version at path` for every placed package, and every package it bundles, that npm
    /// would run install scripts for, in path order; with ci, also each bundled entry the lockfile
    /// says has one (npm ci goes by it).
    static func installScripts(_ planned: [PlannedPackage], _ outcomes: [PackageOutcome],
                               lockedBundled: [String: Lockfile.Entry] = [:]) -> [String] {
        var found: [(path: String, text: String)] = []
        for (path, entry) in lockedBundled where entry.hasInstallScript {
            found.append((path, "\(Lockfile.packageName(atPath: path) ?? path)@\(entry.version ?? "?") at \(path) (bundled; the lockfile says it has an install script)"))
        }
        for package in planned {
            let outcome = outcomes[package.index]
            if outcome.hasInstallScript { found.append((package.location, "\(package.target.subject) at \(package.location)")) }
            for (path, entry) in outcome.bundled where entry.hasInstallScript {
                let location = "\(package.location)/\(path)"
                let name = Lockfile.packageName(atPath: location) ?? path
                found.append((location, "\(name)@\(entry.version ?? "?") at \(location) (bundled in \(package.target.subject))"))
            }
        }
        var seen: Set<String> = []  // a path the tarball and the lockfile both name is listed once, as the tarball says
        return found.reversed().filter { seen.insert($0.path).inserted }.sorted { $0.path < $1.path }.map(\.text)
    }
}
