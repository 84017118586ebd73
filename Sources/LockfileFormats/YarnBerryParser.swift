import FoundationEssentials
import NpmModel
import SafeJSON
import Semver

/// Yarn Berry (v2+) `yarn.lock`: YAML with `__metadata`; descriptors map to a `resolution` and a
/// `checksum` of Yarn's own zip (not npm's SRI).
struct YarnBerryParser {
    let limits: LockfileLimits
    /// The package.json beside the lockfile, when read: what the project itself asks for.
    var project: JSONValue? = nil

    func parse(_ text: String) throws -> ParsedLockfile {
        let tree = try YamlTree.parse(text, limits: limits, file: "yarn.lock")
        // Yarn 1 reads a file whose __metadata is empty (or has no version) as its own lockfile:
        // only a real Berry header makes this a Berry lockfile.
        guard let version = tree["__metadata"]?["version"]?.string, !version.isEmpty else {
            throw LockfileError("yarn.lock: __metadata has no version, so it is not a Yarn Berry lockfile (Yarn 1 would read its entries another way)")
        }
        let entries = tree.entries.filter { $0.key != "__metadata" }
        guard entries.count <= limits.maxEntries else { throw LockfileError("yarn.lock has more than \(limits.maxEntries) entries") }
        let overrides = EntryClassifier.overrideSpecs(project: project, manager: .yarn)
        var packages = try entries.map { try entry(key: $0.key, $0.value, line: $0.line, overrides: overrides) }
        // Berry builds the graph from each entry's stored `dependencies`, not from the manifests:
        // a registry entry's `rt: npm:other@^1` is only the lockfile's word that its package asks
        // for that alias (found by review: another package's code passed as @mochi/runtime).
        var claims: [String: [LockedPackage.AliasClaim]] = [:]
        for (package, entry) in zip(packages, entries) { Self.aliasClaims(entry.value, of: package, into: &claims) }
        // Every alias descriptor of a key, not only a first one (found by review: `evil@npm:^1, zed@npm:evil@^1`).
        for index in packages.indices {
            packages[index].aliasClaims = packages[index].key.split(separator: ",").flatMap { claims[$0.trimmingWhitespace()] ?? [] }
        }
        return ParsedLockfile(format: .yarnBerry, formatVersion: version, packages: packages)
    }

    /// A registry entry's dependencies that ask for an `npm:` alias of another package, keyed by
    /// the descriptor (`rt@npm:other@^1`) that names the alias entry.
    static func aliasClaims(_ value: YamlTree, of package: LockedPackage, into claims: inout [String: [LockedPackage.AliasClaim]]) {
        guard case .registry = package.kind, !package.version.isEmpty else { return }
        for field in ["dependencies", "peerDependencies"] {
            for (name, spec, _) in value[field]?.entries ?? [] {
                guard let text = spec.string, text.hasBytePrefix("npm:"), EntryClassifier.splitDescriptor(text.droppingBytePrefix("npm:")) != nil else { continue }
                claims["\(name)@\(text)", default: []].append(.init(dependentName: package.name, dependentVersion: package.version, dependency: name))
            }
        }
    }

    func entry(key: String, _ value: YamlTree, line: Int, overrides: [String: String]) throws -> LockedPackage {
        let first = key.split(separator: ",").first.map { $0.trimmingWhitespace() } ?? key
        guard let (name, _) = EntryClassifier.splitDescriptor(first),
              let resolution = value["resolution"]?.string, let (target, reference) = EntryClassifier.splitDescriptor(resolution) else {
            throw LockfileError("yarn.lock: entry \(key) has no name@protocol:reference resolution")
        }
        let installed = try EntryClassifier.validName(name, entry: key)
        try checkDescriptors(key, resolvedName: target)
        for field in ["resolved", "integrity"] where value[field] != nil {
            throw LockfileError("yarn.lock: Berry entry \(key) carries Yarn 1's `\(field)`, which Berry ignores and Yarn 1 would use")
        }
        let version = value["version"]?.string ?? ""
        // The version installed is the resolution's: `version:` must say the same (found by review:
        // the range was checked on one, the other was fetched).
        if reference.hasBytePrefix("npm:"), SemanticVersion(String(reference.dropFirst(4))) != nil, version != String(reference.dropFirst(4)) {
            throw LockfileError("yarn.lock: entry \(key) records version \(version) but resolves to \(resolution): Berry installs the resolution")
        }
        try EntryClassifier.refuseVersionOutsideRanges(key.split(separator: ",").map { $0.trimmingWhitespace() }, version: version, file: "yarn.lock",
                                                       overrides: overrides)
        var package = LockedPackage(key: key, name: installed, version: version, resolved: resolution,
                                    berryChecksum: value["checksum"]?.string, line: line)
        // Berry links the dependencies the entry stores (its optional ones among them): names the
        // manifest declares, each at the manifest's own range (found by review: with this check
        // gone, a pinned version or an extra package passed). The project's resolutions replace ranges.
        package.lockedDependencies = Dictionary((value["dependencies"]?.entries ?? []).map { ($0.key, [$0.value.string ?? ""]) },
                                                uniquingKeysWith: { first, _ in first })
        package.dependencyOverrides = overrides
        if let bin = value["bin"] {
            let pairs = bin.entries.compactMap { pair in pair.value.string.map { (pair.key, $0) } }
            package.bins = try LockedBins.checked(Dictionary(pairs, uniquingKeysWith: { first, _ in first }), fieldCount: bin.string == nil ? bin.entries.count : -1,
                                                  file: "yarn.lock", entry: key, described: "bin")
        }
        if reference.hasBytePrefix("npm:") {
            let real = try EntryClassifier.validName(target, entry: key)
            package.version = String(reference.dropFirst(4))
            if real != installed { package.alias(installedAs: installed, real: real, version: package.version) }
        } else {
            let reason = NpmSource.nonRegistryReason(reference) ?? "not a registry package (\(resolution))"
            // Berry's transparent workspaces serve a range its version meets from a declared workspace.
            let linked = EntryClassifier.isDeclaredWorkspace(reference, project: project)
            if !linked { try EntryClassifier.refuseDisguisedSource(key.split(separator: ",").map { $0.trimmingWhitespace() }, reason: reason, file: "yarn.lock", project: project) }
            package.kind = .notVerifiable(reason)
        }
        return package
    }

    /// Every descriptor of the key must name the package its resolution installs: the same name, or
    /// an alias (`foo@npm:bar@^1`) of it. Berry follows a descriptor's stored resolution whatever
    /// it names (found by review: `@mochi/runtime@npm:^1.0.0` resolved to `@mochi/example`'s code
    /// passed as an alias nothing declared).
    private func checkDescriptors(_ key: String, resolvedName: String) throws {
        for descriptor in key.split(separator: ",").map({ $0.trimmingWhitespace() }) {
            guard let (name, range) = EntryClassifier.splitDescriptor(descriptor) else {
                throw LockfileError("yarn.lock: entry \(key) has a descriptor that is not name@range: \(descriptor)")
            }
            var wanted = name
            if range.hasBytePrefix("npm:"), let (aliased, _) = EntryClassifier.splitDescriptor(String(range.dropFirst(4))) { wanted = aliased }
            guard wanted == resolvedName else {
                throw LockfileError("yarn.lock: entry \(key): its descriptor \(descriptor) asks for \(wanted) but the entry resolves to \(resolvedName); Yarn would install \(resolvedName)'s code under that name")
            }
        }
    }
}
