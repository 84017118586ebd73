import FoundationEssentials
import NpmModel
import SafeJSON
import Semver

/// `bun.lock` (text, lockfileVersion 0/1): JSON with comments and trailing commas. `packages` maps a
/// key (`name`, or `parent/name` when nested) to `[id, registry, info, integrity]` for npm packages,
/// `[id]` for workspaces, `[id, info, tag]` for git, `[id, info]` for files and links.
struct BunLockParser {
    let limits: LockfileLimits
    /// The package.json beside the lockfile, when read: the root's edges, and its workspace globs.
    var project: JSONValue? = nil
    /// A workspace folder's package.json, when it can be read: its specs are that workspace's edges.
    var workspaceManifest: (String) -> JSONValue? = { _ in nil }

    func parse(_ text: String) throws -> ParsedLockfile {
        let json: JSONValue
        // Bun and JSON.parse may not agree on which of two equal keys wins: two are refused.
        do { json = try JSONValue.parseRefusingDuplicateKeys(Data(Self.strictJSON(text).utf8), maxDepth: limits.maxDepth, maxValues: limits.maxNodes) } catch {
            throw LockfileError("bun.lock is not valid JSONC: \(error)")
        }
        guard let version = json["lockfileVersion"]?.integer(in: 0...1) else {
            throw LockfileError("bun.lock: lockfileVersion must be 0 or 1, found \(json["lockfileVersion"]?.briefDescription ?? "nothing")")
        }
        let packages = json["packages"]?.objectValue ?? [:]
        guard packages.count <= limits.maxEntries else { throw LockfileError("bun.lock has more than \(limits.maxEntries) packages") }
        let locator = LineLocator(text: text)
        let section = locator.line(of: "packages")
        let edges = try Self.aliasEdges(packages, workspaces: projectEdges(json["workspaces"]?.objectValue ?? [:]))
        // Bun installs the version a key holds whatever range reaches it (found by review); the
        // project's own override of that package replaces the range (the lockfile's never does).
        let overrides = EntryClassifier.overrideSpecs(project: project, manager: .bun)
        if let first = edges.outOfRange.first(where: { edge in overrides[edge.name].map { !LockedRange.meets(edge.version, $0) } ?? true }) {
            throw LockfileError("bun.lock: \(first.message), which \(overrides[first.name].map { "the project's override \($0)" } ?? "that range") does not allow: Bun would install it anyway")
        }
        var out = try packages.keys.sorted().map { key in
            try entry(key: key, packages[key] ?? .null, line: locator.line(of: key, after: section), edges: edges)
        }
        // Bun patches by `name@version` from the top-level `patchedDependencies`, whatever the entry
        // says; the base it patches is still the registry's bytes.
        let patched = EntryClassifier.PatchedKeys((json["patchedDependencies"]?.objectValue ?? [:]).keys.map { $0 })
        out = out.flatMap { package in
            guard case .registry = package.kind, patched.contains(package) else { return [package] }
            return EntryClassifier.splitPatched(package, by: "Bun")
        }
        return ParsedLockfile(format: .bun, formatVersion: "\(version)", packages: out)
    }

    func entry(key: String, _ value: JSONValue, line: Int, edges: AliasEdges? = nil) throws -> LockedPackage {
        guard let array = value.arrayValue, let id = array.first?.stringValue,
              let (target, reference) = EntryClassifier.splitDescriptor(id) else {
            throw LockfileError("bun.lock: packages[\"\(key)\"] is not [\"name@version\", …]")
        }
        let installed = try EntryClassifier.validName(Self.lastName(of: key), entry: key)
        let real = try EntryClassifier.validName(target, entry: key)
        let registry = array.count > 1 ? array[1].stringValue : nil
        let integrity = array.count > 3 ? array[3].stringValue : nil
        if let integrity, integrity.contains(where: { $0.isWhitespace || $0 == "?" }) {
            // Bun reads one algorithm-digest token; anything else is an unknown tag to it, and it skips the check.
            throw LockfileError("bun.lock: packages[\"\(key)\"] has integrity \(integrity), which Bun would not check: expected one algorithm-digest token")
        }
        var package = LockedPackage(key: key, name: installed, version: reference,
                                    resolved: registry.flatMap { $0.isEmpty ? nil : $0 }, integrity: integrity, line: line)
        let info = array.count > 2 ? array[2] : JSONValue.null
        package.declared = .init(["dependencies", "optionalDependencies", "peerDependencies"].map { info[$0]?.stringMap ?? [:] }, includesPeers: true)
        if let bin = info["bin"], JSONValue.isTruthy(bin) {
            // Bun writes a package's one bin as a string, linked under the package's name as npm does.
            let bins = bin.stringValue.map { [String(real.split(separator: "/").last ?? Substring(real)): $0] } ?? bin.stringMap
            package.bins = try LockedBins.checked(bins, fieldCount: bin.stringValue == nil ? bin.objectValue?.count ?? -1 : 1, file: "bun.lock",
                                                  entry: "packages[\"\(key)\"]", described: bin.briefDescription)
        }
        if let folder = info["binDir"], JSONValue.isTruthy(folder) {
            // Bun links every file of that folder as a bin (found by review: any file of a verified
            // package, under any name, became a command).
            guard let text = folder.stringValue else { throw LockfileError("bun.lock: packages[\"\(key)\"] has a binDir that is \(folder.briefDescription), not a folder name") }
            package.binDirectory = text
        }
        if let reason = NpmSource.nonRegistryReason(reference) ?? package.resolved.flatMap(NpmSource.nonRegistryReason) ?? Self.notAVersion(reference) {
            // Bun links a declared workspace for a range its version meets.
            let linked = EntryClassifier.isDeclaredWorkspace(reference, project: project)
            if !linked, !(project.map { EntryClassifier.overridesSource($0, name: installed) } ?? false),
               let refusal = edges?.sourceRefusal(key: key, reason: reason) { throw LockfileError("bun.lock: " + refusal) }
            package.kind = .notVerifiable(reason)
        } else if array.count != 4 {
            package.kind = .notVerifiable("not a registry package (\(id))")
        } else if real != installed {
            if let refusal = edges?.refusal(key: key, name: real) { throw LockfileError("bun.lock: " + refusal) }
            guard !(edges?.isUndeclared(key: key) ?? false) else {
                package.kind = .notVerifiable("named \(real) but installed as \(installed), and no dependency declares it as an npm:\(real) alias")
                return package
            }
            package.alias(installedAs: installed, real: real, version: reference)
            package.aliasClaims = edges?.claims[key] ?? []
        }
        return package
    }

    /// Why Bun reads `reference` as no registry version: anything but an exact semver version is a
    /// source to it (`Dependency.Version.Tag.infer`: `owner/repo` is GitHub, `x.tgz` a tarball, a
    /// path a folder), found by review: `evil/repo#abc` was listed where `github:evil/repo#abc` was
    /// refused. nil for a version.
    static func notAVersion(_ reference: String) -> String? {
        SemanticVersion(reference) == nil ? "not a registry version (\(reference)): Bun reads it as a git, tarball or folder source" : nil
    }

    /// The root's and each workspace's specs from their package.json files when package.json was
    /// read (a workspace only where its globs declare one), as Bun builds them; else the lockfile's
    /// `workspaces` (found by a re-attack: a made-up workspace's spec excused a disguised entry).
    func projectEdges(_ locked: [String: JSONValue]) -> [String: JSONValue] {
        guard let project else { return locked }
        let globs = WorkspaceGlobs(project)
        var edges: [String: JSONValue] = ["": project]
        for path in locked.keys where !path.isEmpty && globs.contains(path) {
            if let manifest = workspaceManifest(path) { edges[path] = manifest }
        }
        return edges
    }

    /// The edges of the workspaces and of each package's info, resolved through Bun's keys: the
    /// dependent's own `key/name`, then each shorter prefix, then the top-level `name`.
    static func aliasEdges(_ packages: [String: JSONValue], workspaces: [String: JSONValue]) throws -> AliasEdges {
        let fields = ["dependencies", "optionalDependencies", "peerDependencies"]
        let projects = workspaces.keys.sorted().map { path in
            let key = path.isEmpty ? "" : workspaces[path]?["name"]?.stringValue ?? path
            return AliasEdges.Dependent(key: key, label: path.isEmpty ? "the root" : "workspace \(path)",
                                        specs: AliasEdges.specs(of: workspaces[path], fields: fields + (path.isEmpty ? ["devDependencies"] : [])))
        }
        let entries = packages.keys.sorted().map { key in
            var dependent = AliasEdges.Dependent(key: key, label: key, specs: AliasEdges.specs(of: packages[key]?.arrayValue.flatMap { $0.count > 2 ? $0[2] : nil }, fields: fields))
            dependent.package = packages[key]?.arrayValue?.first?.stringValue.flatMap(EntryClassifier.splitDescriptor).map { ($0.name, $0.rest) }
            dependent.isProject = false
            return dependent
        }
        return try AliasEdges(projects + entries, realName: { key in
            packages[key]?.arrayValue?.first?.stringValue.flatMap(EntryClassifier.splitDescriptor)?.name
        }, versionOf: { key in
            packages[key]?.arrayValue?.first?.stringValue.flatMap(EntryClassifier.splitDescriptor)?.rest
        }) { name, from in
            var base = from
            while true {
                let candidate = base.isEmpty ? name : base + "/" + name
                if packages[candidate] != nil { return candidate }
                if base.isEmpty { return nil }
                let last = lastName(of: base)
                base = base.utf8.count > last.utf8.count ? String(decoding: base.utf8.dropLast(last.utf8.count + 1), as: UTF8.self) : ""
            }
        }
    }

    /// The package a key names: its last (possibly scoped) segment.
    static func lastName(of key: String) -> String {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, parts[parts.count - 2].hasBytePrefix("@") else { return parts.last ?? key }
        return parts[parts.count - 2] + "/" + parts[parts.count - 1]
    }

    /// Drops `//` and `/* */` comments and trailing commas outside strings.
    static func strictJSON(_ text: String) -> String {
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var index = 0, inString = false
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                out.append(byte)
                if byte == UInt8(ascii: "\\"), index + 1 < bytes.count { out.append(bytes[index + 1]); index += 1 }
                else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") {
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            } else if byte == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "*") {
                index += 2
                while index + 1 < bytes.count, !(bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/")) { index += 1 }
                index += 2
                continue
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                while let last = out.last, [UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"), UInt8(ascii: ",")].contains(last) {
                    out.removeLast()
                }
                out.append(byte)
            } else {
                if byte == UInt8(ascii: "\"") { inString = true }
                out.append(byte)
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
