import SafeJSON
public import FoundationEssentials
import Integrity
import NpmModel
import RegistryClient

extension Installer {
    /// `verify-install ci --prefix DIR`: installs exactly what `npm-shrinkwrap.json`, else
    /// `package-lock.json`, says (as `npm ci` reads them).
    /// Fails when package.json and the lockfile disagree, when the registry's integrity for a
    /// locked version differs from the lockfile's, or when any tarball does not match it.
    /// The lockfile is not rewritten.
    public func ci(prefix: URL) async throws -> InstallReport {
        let run = InstallRun("ci", prefix: prefix, installer: self)
        let lock = try Self.lockAndRecover(prefix, warn: run.warn)
        defer { withExtendedLifetime(lock) {} }
        guard let project = try ProjectManifest.load(prefix: prefix) else {
            throw InstallError(.usage, "ci needs \(prefix.path)/package.json")
        }
        try project.refuseWorkspaces("ci")
        let overrides = try Overrides(project)
        let (lockfile, lockURL) = try readLockfile(prefix: prefix, project: project)

        let (others, carried, ignored) = BundledEntries.split(lockfile.packages)
        for path in ignored { run.warn("\(path) is marked extraneous inside another package's folder: not installed (it comes with that package's tarball, if at all)") }
        let (all, skipped, omitted) = try plan(others, lockfile, bundled: carried, project: project, overrides: overrides,
                                               scope: run.scope, file: lockURL.path)
        let leftOut = omitted.paths.union(skipped.keys)
        let bundled = carried.leavingOut(leftOut)
        for (path, reason) in skipped.sorted(by: { $0.key < $1.key }) { run.warn("skipped \(path): \(reason)") }
        if !omitted.paths.isEmpty {
            run.warn("left out \(omitted.paths.count) locked package(s) that \(run.scope.omitDescription) omits, as npm ci does: not fetched, so not verified (the report's `omitted` lists them)")
        }
        var planned: [PlannedPackage] = []
        for package in all where !leftOut.contains(package.location) {
            planned.append(try lockedPackage(path: package.location, entry: package.lockEntry, index: planned.count, file: lockURL.path))
        }
        try await checkRegistryAgrees(&planned)
        // The tree that is installed must hold together: no required edge may lead to a skipped package.
        let versions = Dictionary(uniqueKeysWithValues: planned.map { ($0.location, $0.target.version) }).merging(bundled.versions) { a, _ in a }
        let edges = Self.declaredEdges(project: project, nodes: Self.nodes(planned) + bundled.entries.map { ($0.key, $0.value, nil) }, overrides: overrides)
        // Reachability and every lockfile edge were checked over the whole tree in `plan`; what
        // only left-out packages lead to is placed by npm ci too, reached or not here.
        try LockfileStructure(file: lockURL.path, versions: versions)
            .check(OmittedEntries.placedEdges(edges, scope: run.scope).map(bundled.relaxed),
                   unreachedAllowed: Set(bundled.entries.keys).union(all.map(\.location)))
        run.clock.mark("resolve")

        let staged = try StagedTree(prefix: prefix, keepsDotEntries: false)
        defer { staged.discard(warn: run.warn) }
        for package in planned { if let note = foreignHostNote(package.target) { run.warn(note) } }
        planned.forEach(pipeline(run, staged: staged).start)
        run.progress(.resolved(packages: planned.count))
        let outcomes = try await run.finish(planned: planned, staged: staged, project: project, checkPlaced: {
            try bundled.confirm(in: staged.treeRoot, file: lockURL.path, skipped: skipped.keys)
        })
        var report = run.report(planned: planned, outcomes: outcomes, lockfile: lockURL.path, lockedBundled: bundled.entries)
        report.omitted = all.filter { omitted.paths.contains($0.location) }.map { "\($0.target.subject) at \($0.location)" }.sorted()
        return report
    }

    /// The project's lockfile (npm-shrinkwrap.json, else package-lock.json) and where it is,
    /// refused when it is pathological, carries what npm ci takes from an entry alone, or is out
    /// of step with package.json.
    private func readLockfile(prefix: URL, project: ProjectManifest) throws -> (Lockfile, URL) {
        let lockURL = ProjectFile.lockfile(in: prefix)
        guard let lockData = try ProjectFile.read(lockURL, limit: ProjectFile.maxLockfileBytes) else {
            throw InstallError(.usage, "ci needs \(lockURL.path); run an install first to create it")
        }
        let lockfile: Lockfile
        do { lockfile = try Lockfile(data: lockData, file: lockURL.path) } catch { throw InstallError.wrap(error) }
        try Self.refusePathological(lockfile, file: lockURL.path)
        try LockfileOnlyFields.refuse(lockfile, file: lockURL.path)
        try checkInSync(project, lockfile, file: lockURL.path)
        return (lockfile, lockURL)
    }

    /// The bounds an install's resolver keeps: a committed lockfile must not send the run to the
    /// registry for hours, nor nest deeper (resolving an edge walks up its path: found by review,
    /// a chain 1200 levels deep took 40 s before any request).
    static func refusePathological(_ lockfile: Lockfile, file: String) throws {
        guard lockfile.packages.count <= Resolver.maxNodes + 1 else {
            throw InstallError(.usage, "\(file) locks \(lockfile.packages.count - 1) packages, more than \(Resolver.maxNodes): refusing a pathological tree")
        }
        if let deep = lockfile.packages.keys.first(where: { ($0.utf8.split(separator: UInt8(ascii: "/")).count { $0.elementsEqual("node_modules".utf8) }) > Resolver.maxDepth }) {
            throw InstallError(.usage, "\(file): \(deep.prefix(200))… nests deeper than \(Resolver.maxDepth) levels: refusing a pathological tree")
        }
    }

    /// Every locked entry, and the install paths `ci` leaves out because they cannot run here.
    /// Bundled entries are in the graph too: what they need stays, and what they carry is what
    /// their parent's dependencies load (found by review: a package only a bundled one needed was
    /// skipped with an optional package, and the run reported success without it).
    private func plan(_ paths: [String], _ lockfile: Lockfile, bundled: BundledEntries, project: ProjectManifest, overrides: Overrides,
                      scope: InstallScope, file: String) throws -> ([PlannedPackage], skipped: [String: String], omitted: OmittedEntries) {
        var all: [PlannedPackage] = []
        for path in paths {
            all.append(try lockedPackage(path: path, entry: lockfile.packages[path]!, index: all.count, file: file))
        }
        // npm checks the platform of every node, bundled ones too (found by review: a required
        // bundled entry for another OS was installed where npm ci refuses).
        for (path, entry) in bundled.entries.sorted(by: { $0.key < $1.key }) where !entry.optional {
            if let reason = PlatformCheck.mismatch(entry) {
                throw InstallError(.usage, "EBADPLATFORM: \(Lockfile.packageName(atPath: path) ?? path)@\(entry.version ?? "?") bundled at \(path) in \(file) is not optional, and its \(reason)")
            }
        }
        let versions = Dictionary(uniqueKeysWithValues: all.map { ($0.location, $0.target.version) }).merging(bundled.versions) { a, _ in a }
        let structure = LockfileStructure(file: file, versions: versions)
        let edges = Self.declaredEdges(project: project, nodes: Self.nodes(all) + bundled.entries.map { ($0.key, $0.value, nil) }, overrides: overrides)
        let omitted = try OmittedEntries(all, scope: scope, file: file)
        var skipped = try OptionalSet(edges, structure: structure)
            .skipped(all, file: file, engines: engines, platform: Platform(overriding: scope), omitted: omitted.paths)
        // Nothing is placed inside a folder that is not (found by review).
        let folders = Set(skipped.keys.map { Array($0.utf8) })
        for package in all where skipped[package.location] == nil && !omitted.paths.contains(package.location) {
            if let folder = Lockfile.enclosingFolders(of: package.location).first(where: { folders.contains(Array($0.utf8)) }) {
                skipped[package.location] = "inside \(folder), which is skipped"
            }
        }
        // The whole locked tree, left-out packages included, must hold together from the project:
        // nothing extraneous, every edge's range and kind checked wherever it starts. Only an edge
        // a left-out package declares may go unmet (found by a re-attack: an invented skipped
        // entry let packages in whose own edges nothing checked).
        let leftOut = omitted.paths.union(skipped.keys)
        try structure.check(edges.map { edge in
            guard leftOut.contains(edge.from) else { return edge }
            var relaxed = edge
            relaxed.optional = true
            return relaxed
        }.map(bundled.relaxed), unreachedAllowed: Set(bundled.entries.keys))
        return (all, skipped, omitted)
    }

    private func lockedPackage(path: String, entry: Lockfile.Entry, index: Int, file: String) throws -> PlannedPackage {
        guard let name = entry.name ?? Lockfile.packageName(atPath: path), let version = entry.version else {
            throw InstallError(.usage, "\(file): entry \(path) has no package name or version")
        }
        guard Lockfile.isValidInstallPath(path), Lockfile.packageName(atPath: path) == name else {
            throw InstallError(.usage, "\(file): '\(path)' is not a node_modules install path for \(name); refusing to write outside node_modules")
        }
        guard let resolved = entry.resolved else {
            throw InstallError(.usage, "\(file): \(name)@\(version) at \(path) has no `resolved` URL (only registry packages are supported)")
        }
        if let why = NpmSource.remoteTarballRefusal(resolved) ?? Self.pathTrickRefusal(resolved) {
            throw InstallError(.verification, "\(file): \(name)@\(version) at \(path) is resolved to \(resolved), which npm does not read as a tarball URL (\(why)): npm ci would fetch something else, a git repository without an integrity check or a local folder, so this lockfile is refused")
        }
        guard let integrityText = entry.integrity else {
            throw InstallError(.verification, "\(file): \(name)@\(version) at \(path) has no integrity; refusing to install unverifiable bytes")
        }
        let integrity: SubresourceIntegrity
        do { integrity = try SubresourceIntegrity(integrityText) } catch {
            throw InstallError(.verification, "\(file): \(name)@\(version) at \(path): the lockfile's integrity is refused: \(error)")
        }
        let registry = (try? PackageName(name)).map { client.configuration.registry(for: $0) } ?? client.configuration.registry
        let url = Self.replacingRegistryHost(resolved, with: registry)
        let target = TarballTarget(name: name, version: version, url: url, integrity: integrity)
        var package = PlannedPackage(index: index, location: path, target: target, lockEntry: entry)
        package.claims = [IntegrityClaim(integrity, "\(file) entry \(path)")]
        package.dev = entry.dev
        package.optional = entry.optional
        package.devOptional = entry.devOptional || entry.dev || entry.optional  // as npm's load-virtual sets it
        package.peer = entry.peer
        return package
    }

    /// A fragment or a dot segment in a locked registry URL: npm never writes one, fetching drops
    /// or resolves them away, and npm read the `resolved` of a link entry as a path they climb
    /// (found by review). Other lockfile formats keep a `#sha1` fragment; npm's does not.
    static func pathTrickRefusal(_ url: String) -> String? {
        let afterScheme = url.utf8.drop { $0 != UInt8(ascii: "/") }.dropFirst(2)
        let path = afterScheme.drop { !"/?#".utf8.contains($0) }
        guard !path.contains(UInt8(ascii: "#")) else { return "it holds a fragment (#)" }
        let segments = path.prefix { $0 != UInt8(ascii: "?") }.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        let dots: Set<String> = [".", "..", "%2e", "%2e%2e", ".%2e", "%2e."]
        return segments.contains { dots.contains(String(decoding: $0, as: UTF8.self).lowercased()) } ? "it holds a dot segment (/./ or /../)" : nil
    }

    /// Every edge package.json, a lockfile entry or a locked package's registry manifest declares; below the project, with the
    /// project's overrides applied (the override names who set the spec).
    static func declaredEdges(project: ProjectManifest, nodes: [(location: String, entry: Lockfile.Entry, manifest: Manifest?)],
                              overrides: Overrides) -> [LockfileStructure.Edge] {
        func edges(_ from: String, _ map: [String: String], optional: Bool, by: String,
                   dev: Bool = false, peer: Bool = false) -> [LockfileStructure.Edge] {
            map.map { name, spec in
                let applied = from.isEmpty ? spec : overrides.spec(for: name, declared: spec)
                let source = applied == spec ? by : "\(by), overridden by package.json overrides"
                return LockfileStructure.Edge(from: from, name: name, spec: applied, optional: optional, declaredBy: source, dev: dev, peer: peer)
            }
        }
        // A peer is required unless peerDependenciesMeta marks it optional, as arborist reads it.
        func peers(_ from: String, _ map: [String: String], optional names: Set<String>, by: String) -> [LockfileStructure.Edge] {
            edges(from, map.filter { !names.contains($0.key) }, optional: false, by: "\(by) (peer)", peer: true)
                + edges(from, map.filter { names.contains($0.key) }, optional: true, by: "\(by) (optional peer)", peer: true)
        }
        // One edge per name and source, as arborist's node keeps it: peer, then optional peer,
        // prod, optional and (for the project) dev, each later kind replacing an earlier one
        // (found by review: a name both peer and optional kept a required edge, and ci refused a
        // lockfile npm installs).
        func oneEach(_ kinds: [LockfileStructure.Edge]...) -> [LockfileStructure.Edge] {
            var byName: [String: LockfileStructure.Edge] = [:]
            for edge in kinds.joined() { byName[edge.name] = edge }
            return byName.keys.sorted().map { byName[$0]! }
        }
        var all = oneEach(peers("", project.map("peerDependencies"), optional: project.optionalPeers, by: "package.json peerDependencies"),
                          edges("", project.map("dependencies"), optional: false, by: "package.json dependencies"),
                          edges("", project.map("optionalDependencies"), optional: true, by: "package.json optionalDependencies"),
                          edges("", project.map("devDependencies"), optional: false, by: "package.json devDependencies", dev: true))
        for (path, entry, manifest) in nodes {
            all += oneEach(peers(path, entry.peerDependencies, optional: entry.optionalPeers, by: "its lockfile entry"),
                           edges(path, entry.dependencies, optional: false, by: "its lockfile entry"),
                           edges(path, entry.optionalDependencies, optional: true, by: "its lockfile entry"))
            if let manifest {
                let by = "its registry manifest"
                all += oneEach(peers(path, manifest.peerDependencies, optional: manifest.optionalPeers, by: by),
                               edges(path, manifest.dependencies, optional: false, by: by),
                               edges(path, manifest.optionalDependencies, optional: true, by: by))
            }
        }
        return all
    }

    /// Planned packages as the nodes whose edges `declaredEdges` collects.
    static func nodes(_ planned: [PlannedPackage]) -> [(location: String, entry: Lockfile.Entry, manifest: Manifest?)] {
        planned.map { ($0.location, $0.lockEntry, $0.manifest) }
    }

    /// A locked `resolved` URL on another host than the package's registry (after
    /// replace-registry-host) is named in the report; its bytes must still match every claim.
    private func foreignHostNote(_ target: TarballTarget) -> String? {
        let registry = (try? PackageName(target.name)).map { client.configuration.registry(for: $0) } ?? client.configuration.registry
        guard let host = URLHost.of(target.url), let registryHost = URLHost.of(registry),
              host.lowercased() != registryHost.lowercased() else { return nil }
        return "\(target.subject) is fetched from \(host) as package-lock.json says, not from its registry \(registry)"
    }

    /// npm's `replace-registry-host` default (`npmjs`): a lockfile's `https://registry.npmjs.org/…`
    /// URLs are fetched from the configured registry instead, so one committed lockfile serves any
    /// mirror; other hosts are fetched as locked. The integrity check does not change.
    static func replacingRegistryHost(_ resolved: String, with registry: String) -> String {
        let npmjs = "https://registry.npmjs.org/"
        guard resolved.hasBytePrefix(npmjs), registry != npmjs else { return resolved }
        return registry + resolved.dropFirst(npmjs.count)
    }

    /// npm ci's rule: every dependency in package.json must be locked with the same spec.
    private func checkInSync(_ project: ProjectManifest, _ lockfile: Lockfile, file: String) throws {
        let root = lockfile.packages[""] ?? Lockfile.Entry()
        var problems: [String] = []
        for key in ["dependencies", "devDependencies", "optionalDependencies"] {
            let locked = key == "dependencies" ? root.dependencies : key == "devDependencies" ? root.devDependencies : root.optionalDependencies
            for (name, spec) in project.map(key).sorted(by: { $0.key < $1.key }) where locked[name] != spec {
                problems.append("\(name)@\(spec) in \(key) is \(locked[name].map { "locked as \($0)" } ?? "missing from the lockfile")")
            }
        }
        guard problems.isEmpty else {
            throw InstallError(.usage, "package.json and \(file) are not in sync: \(problems.joined(separator: "; ")). Run an install to update the lockfile")
        }
    }
}
