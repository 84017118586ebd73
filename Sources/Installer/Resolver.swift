import NpmModel
import RegistryClient
import Semver

/// Builds npm's ideal tree in arborist's order (the shallowest placed node first, then by path;
/// its dependencies in name order, both in `Intl.Collator('en')` order), each package hoisted as
/// high as it can go without shadowing a conflicting version for anyone, nested only where
/// versions conflict; cycles reuse the node already placed.
/// Each new node goes to the `PlacementSink` as it is placed; warnings and progress go to the run.
final class Resolver {
    let client: RegistryClient
    let root: TreeNode
    private var nodes: [TreeNode] = []
    let run: InstallRun
    private let sink: any PlacementSink
    /// Each name's packument, or why it could not be had (`Resolver+Packuments`).
    var packuments: [String: Result<Packument, any Error>] = [:]
    let prefetcher: PackumentPrefetcher
    /// The project's overrides, applied to every dependency below the project.
    private let overrides: Overrides
    /// Parsed specs and ranges, by text: the same few thousand strings recur on every edge.
    private var specs: [String: PackageSpec] = [:]
    private var ranges: [String: VersionRange?] = [:]
    /// Each package's versions, parsed once (`candidates(_:)`).
    private var prepared: [String: ManifestPicker.Prepared] = [:]
    /// Deepest nesting, and most packages, accepted before the tree is declared pathological: a few
    /// small packuments whose versions conflict at every level would otherwise double it per level.
    static let (maxDepth, maxNodes) = (64, 50_000)

    init(client: RegistryClient, rootName: String, run: InstallRun, sink: any PlacementSink, overrides: Overrides = Overrides()) {
        self.client = client
        self.overrides = overrides
        self.run = run
        self.sink = sink
        prefetcher = PackumentPrefetcher(client: client)
        root = TreeNode(root: rootName)
    }

    /// Resolves `rootDependencies` and everything they need, in arborist's order: the placed node
    /// that sits shallowest in the tree (then first by path) has its dependencies resolved next,
    /// each in name order. Packuments are fetched for every waiting node at once.
    func resolve(rootDependencies: [DependencyRequest]) async throws {
        var queue = DependencyQueue()
        queue.push(root, rootDependencies)
        while let (node, requests) = queue.popFirst() {
            try Task.checkCancellation()
            if requests.contains(where: { packuments[$0.name] == nil }) {
                // A spec the resolver refuses before it reads a packument (file:, npm:…) is not
                // required here: its own error, not its packument's, must end the run (found by review).
                try await prefetch(Set(requests.map(\.name) + queue.waitingNames),
                                   required: Set(requests.filter { $0.kind != .optional && (try? parsedSpec($0)) != nil }.map(\.name)))
            }
            for request in requests.sorted(by: { LocaleOrder.precedes($0.name, $1.name) }) {
                if let placed = try resolveEdge(from: node, request) {
                    // What the tarball bundles comes with it (arborist's problemEdges skip those), and
                    // holds its folders.
                    let bundled = placed.manifest!.bundledDependencies
                    for name in bundled where placed.children[name] == nil { placed.children[name] = TreeNode(bundled: name, in: placed) }
                    queue.push(placed, overrides.apply(DependencyRequest.all(of: placed.manifest!).filter { !bundled.contains($0.name) }))
                }
            }
        }
        try checkOptionalPeers()
    }

    /// Whether `level`'s own declared range for `name` takes `version` (true when it declares none).
    private static func accepts(_ level: TreeNode, _ name: String, _ version: String) -> Bool {
        guard let manifest = level.manifest,
              let spec = manifest.dependencies[name] ?? manifest.optionalDependencies[name] ?? manifest.peerDependencies[name] else { return true }
        let words = spec.split(whereSeparator: \.isWhitespace)
        return words.isEmpty || words == ["*"] || ((try? VersionRange(spec, loose: true))?.isSatisfied(by: version) ?? false)
    }

    /// An optional peer is installed by no one, but where Node finds one it must meet the range
    /// (arborist keeps a peerOptional edge, and refuses an invalid one: ERESOLVE). Found by review:
    /// optional peers were dropped unread, and a package loaded a version its peer range excludes.
    private func checkOptionalPeers() throws {
        for node in nodes {
            guard let manifest = node.manifest else { continue }
            // A name it also depends on is that dependency's edge (arborist's prod edge replaces the
            // peerOptional one); the project's override replaces the range (found by review).
            for name in manifest.optionalPeers.sorted() where manifest.dependencies[name] == nil && manifest.optionalDependencies[name] == nil {
                guard let declared = manifest.peerDependencies[name], let found = node.lookup(name), !found.isBundled, found !== node,
                      case let range = overrides.spec(for: name, declared: declared),
                      let spec = try? parsedSpec(DependencyRequest(name: name, spec: range, kind: .peer)), !(try satisfies(found, spec)) else { continue }
                throw InstallError(.usage, "ERESOLVE: \(manifest.name)@\(manifest.version) at \(node.location) takes \(name)@\(range) as an optional peer, but \(name)@\(found.version) is installed at \(found.location), where Node finds it; npm refuses such a tree (ERESOLVE) unless it can nest the package with a copy that fits, which verify-install does not try")
            }
        }
    }

    // MARK: - One edge

    /// Resolves one dependency; returns a node when a new one was placed (its deps are queued).
    private func resolveEdge(from node: TreeNode, _ request: DependencyRequest) throws -> TreeNode? {
        let asker = node.manifest.map { "\($0.name)@\($0.version)" } ?? "the project"
        let start = request.kind == .peer ? (node.parent ?? node) : node
        let manifest: Manifest
        var platformMismatch: String?
        do {
            let spec = try parsedSpec(request)
            if let existing = start.lookup(request.name), try satisfies(existing, spec) {
                addEdge(from: node, request.name, (existing, request.kind))
                return nil
            }
            manifest = try pick(spec, for: asker)
            // Recorded in the lockfile, as npm records it for other machines, but never fetched
            // nor placed here (found by review: left out of the lockfile, npm ci refused it as
            // missing on every machine).
            if request.kind == .optional, let reason = PlatformCheck.mismatch(manifest, on: run.optionalPlatform) {
                platformMismatch = "optional dependency of \(asker), and its \(reason)"
            }
        } catch let error where request.kind == .optional && !(error is CancellationError) {
            run.warn("skipped optional dependency \(request.name)@\(request.spec) of \(asker): \(error)")
            return nil
        }
        // A peer goes beside its dependent; npm refuses (ERESOLVE) when another version sits there,
        // where nesting it under the dependent would give two copies (found by review).
        if request.kind == .peer, let occupant = start.children[request.name], let version = occupant.manifest?.version {
            throw InstallError(.usage, "ERESOLVE: \(asker) needs its peer \(request.name)@\(request.spec), but \(request.name)@\(version) is installed at \(occupant.location); npm refuses this tree too (ERESOLVE)")
        }
        // Beside its dependent, a peer must not change what that level already loads out of its
        // range (found by review: `q` asked for x@^1 and got the peer x@2 placed beside it for
        // `q/node_modules/p`). npm leaves such a peer unmet with an ERESOLVE warning; a tree npm
        // would not build is refused. A peer the level's own range takes is fine (`*`, found by review).
        if request.kind == .peer, start !== node, start.edgesLeaving[request.name, default: 0] > 0
            || (start.edges[request.name].map { !start.contains($0.node) } ?? false && !Self.accepts(start, request.name, manifest.version)) {
            throw InstallError(.usage, "ERESOLVE: \(asker) needs its peer \(request.name)@\(request.spec) beside it in \(start.location.isEmpty ? "the project" : start.location), where \(request.name) already resolves to another copy; placing it there would change what that level loads, and npm leaves such a peer unmet (ERESOLVE)")
        }
        let target = placement(for: request.name, start: start, requester: node)
        guard target.depth < Self.maxDepth, nodes.count < Self.maxNodes else {
            throw InstallError(.registry, "dependency tree nests deeper than \(Self.maxDepth) levels or holds more than \(Self.maxNodes) packages at \(target.location) (\(request.name)@\(request.spec)); refusing a pathological tree")
        }
        let placed = TreeNode(manifest: manifest, parent: target)
        placed.platformMismatch = platformMismatch
        target.children[request.name] = placed
        addEdge(from: node, request.name, (placed, request.kind))
        nodes.append(placed)
        try sink.place(placed)
        return placed
    }

    /// Whether an installed package serves `spec`, as arborist's `dep-valid.js` judges it: `*` (and
    /// an empty spec) takes any version, a tag any registry package, a version or range by loose
    /// semver (found by review: we nested a second copy where npm reuses the installed one).
    private func satisfies(_ node: TreeNode, _ spec: PackageSpec) throws -> Bool {
        guard !node.isBundled else { return false }  // its version is unknown here: nest a copy below it
        switch spec.kind {
        case .version(let v): return SemanticVersion(node.version) == SemanticVersion(v, loose: true)
        case .range(let r):
            let words = r.split(whereSeparator: \.isWhitespace)
            return words.isEmpty || words == ["*"] || (range(r)?.isSatisfied(by: node.version) ?? false)
        case .tag: return true  // every placed node came from the registry
        }
    }

    /// `text` parsed as a loose range, once per run; nil when it does not parse.
    private func range(_ text: String) -> VersionRange? {
        if let cached = ranges[text] { return cached }
        ranges[text] = .some(try? VersionRange(text, loose: true))
        return ranges[text] ?? nil
    }

    private func parsedRange(_ spec: PackageSpec) -> VersionRange? { if case .range(let r) = spec.kind { range(r) } else { nil } }

    private func parsedSpec(_ request: DependencyRequest) throws -> PackageSpec {
        let key = request.name + "@" + request.spec
        if let spec = specs[key] { return spec }
        let spec = try PackageSpec(name: PackageName(request.name), rawSpec: request.spec)
        specs[key] = spec
        return spec
    }

    private func pick(_ spec: PackageSpec, for asker: String) throws -> Manifest {
        let packument = try packument(spec.name.value)
        let version: String
        do {
            version = try ManifestPicker.pick(wanted: spec.rawSpec, prepared: candidates(packument), distTags: packument.distTags,
                                           parsed: parsedRange(spec))
        } catch {
            throw RegistryError(.noMatchingVersion, package: spec.name.value, url: nil,
                                "no version of \(spec.name) matches \(spec.rawSpec) (wanted by \(asker)); the registry has \(packument.versions.keys.sorted().joined(separator: ", ")) and tags \(packument.distTags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))")
        }
        return packument.versions[version]!
    }

    /// A package's versions, prepared once per run. Sorted, so ties between versions differing only
    /// in build metadata pick the same way every run. Deprecation is read by JavaScript truthiness,
    /// and `engines` against the run's node and npm, as npm-pick-manifest reads them.
    private func candidates(_ packument: Packument) -> ManifestPicker.Prepared {
        if let prepared = prepared[packument.name] { return prepared }
        let candidates = packument.versions.values
            .map { ManifestPicker.Candidate(version: $0.version, deprecated: $0.isDeprecated, engineOK: run.engines.allows($0.engines, nonString: $0.nonStringEngines)) }
            .sorted { $0.version < $1.version }
        let made = ManifestPicker.Prepared(candidates)
        prepared[packument.name] = made
        return made
    }

    /// The highest level from `start` up where `name` can live: stop below any level that already
    /// holds another `name`, or where hoisting would change what an already-resolved dependent loads.
    private func placement(for name: String, start: TreeNode, requester: TreeNode) -> TreeNode {
        var target = start.children[name] == nil ? start : requester
        var candidate = target.parent
        while let level = candidate, level.children[name] == nil, !wouldShadow(name, at: level) {
            target = level
            candidate = level.parent
        }
        return target
    }

    /// True when `level` or some resolved node below it loads `name` from outside `level`. The
    /// nodes below are answered by `level`'s count, kept per edge (found by review: scanning every
    /// owner of an edge of that name at every level made resolving quadratic in the tree's size).
    private func wouldShadow(_ name: String, at level: TreeNode) -> Bool {
        if let edge = level.edges[name], !level.contains(edge.node) { return true }
        return level.edgesLeaving[name, default: 0] > 0
    }

    private func addEdge(from node: TreeNode, _ name: String, _ edge: (node: TreeNode, kind: EdgeKind)) {
        if node !== root {
            if let previous = node.edges[name] { countLeaving(from: node, name, to: previous.node, by: -1) }
            countLeaving(from: node, name, to: edge.node, by: 1)
        }
        node.edges[name] = edge
    }

    /// Adds `change` to the count of every ancestor of `node` that the edge to `target` leaves:
    /// those up to, not including, the lowest one that also holds `target`. Nodes never move, so
    /// each count stays true as the tree grows.
    private func countLeaving(from node: TreeNode, _ name: String, to target: TreeNode, by change: Int) {
        var holdsTarget = Set<ObjectIdentifier>()
        var above = target.parent
        while let current = above { holdsTarget.insert(ObjectIdentifier(current)); above = current.parent }
        var level = node.parent
        while let current = level, !holdsTarget.contains(ObjectIdentifier(current)) {
            current.edgesLeaving[name, default: 0] += change
            level = current.parent
        }
    }
}
