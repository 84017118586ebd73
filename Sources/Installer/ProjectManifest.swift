import CodedError
import FoundationEssentials
import Glibc
import NpmModel
import SafeJSON

/// The project's own `package.json`: the root of the tree.
struct ProjectManifest {
    var json: JSONValue
    let file: URL
    /// The file's text as read (nil for a new project): saving edits only what npm would change.
    var originalText: String?
    /// Specs saved by this install, by section, applied to `originalText` on `write()`.
    private(set) var savedEdits: [(section: String, name: String, spec: String)] = []

    var name: String { json["name"]?.stringValue ?? file.deletingLastPathComponent().lastPathComponent }
    var version: String? { json["version"]?.stringValue }

    static func load(prefix: URL) throws -> ProjectManifest? {
        let file = prefix.appendingPathComponent("package.json")
        guard let data = try ProjectFile.read(file, limit: ProjectFile.maxManifestBytes) else { return nil }
        do {
            let json = try JSONValue.parse(data, maxValues: Lockfile.maxValues)
            guard case .object = json else { throw NpmModelError(.malformedDocument, "not a JSON object") }
            try refuseNonStringSpecs(json, file: file)
            return ProjectManifest(json: json, file: file, originalText: String(data: data, encoding: .utf8))
        } catch let error as InstallError {
            throw error
        } catch {
            throw InstallError(.usage, "\(file.path) is not a valid package.json: \(error)")
        }
    }

    /// A dependency whose spec is not a string: npm refuses the project ("must provide string
    /// spec"); ignoring it would leave the dependency uninstalled and drop it from package.json
    /// when the map is saved (found by review).
    static func refuseNonStringSpecs(_ json: JSONValue, file: URL) throws {
        for section in ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"] {
            guard let map = json[section]?.objectValue else { continue }
            for name in map.keys.sorted() where map[name]?.stringValue == nil {
                throw InstallError(.usage, "\(file.path): \(section).\(name) is \(map[name]!.briefDescription), not a spec string (npm refuses it too: must provide string spec); nothing was changed")
            }
        }
    }

    func map(_ key: String) -> [String: String] { json[key]?.stringMap ?? [:] }

    /// Peers `peerDependenciesMeta` marks optional.
    var optionalPeers: Set<String> { Manifest.optionalPeers(json["peerDependenciesMeta"]) }

    /// Refuses a project that declares npm workspaces (arborist's `mapWorkspaces`: a truthy
    /// `workspaces`, a list or `{packages: [...]}`): `command` would install the root alone and
    /// write a lockfile without the workspace folders and their dependencies.
    func refuseWorkspaces(_ command: String) throws {
        let declaration = json["workspaces"]?.objectValue?["packages"] ?? json["workspaces"]
        guard JSONValue.isTruthy(declaration), declaration?.arrayValue?.isEmpty != true else { return }
        throw InstallError(.usage, "\(file.path) declares npm workspaces (\(declaration!.briefDescription)): verify-install \(command) does not install workspaces yet, and would drop them from package-lock.json; nothing was changed. `verify-install verify-lockfile` verifies a workspace lockfile")
    }

    /// The root's dependency requests: npm installs the root's dev and peer dependencies too, in
    /// arborist's order (peer, prod, optional, dev: a later field replaces an earlier one for the
    /// same name), and not its optional peers (found by review: dev lost to prod, and an optional
    /// peer was installed).
    var dependencyRequests: [DependencyRequest] {
        var byName: [String: DependencyRequest] = [:]
        let optionalPeers = self.optionalPeers
        for (name, spec) in map("peerDependencies") where !optionalPeers.contains(name) {
            byName[name] = DependencyRequest(name: name, spec: spec, kind: .peer)
        }
        for (name, spec) in map("dependencies") { byName[name] = DependencyRequest(name: name, spec: spec, kind: .prod) }
        for (name, spec) in map("optionalDependencies") { byName[name] = DependencyRequest(name: name, spec: spec, kind: .optional) }
        for (name, spec) in map("devDependencies") { byName[name] = DependencyRequest(name: name, spec: spec, kind: .dev) }
        return byName.values.sorted { $0.name < $1.name }
    }

    /// Records `name` at `spec` in `dependencies` (as `npm install <spec>` saves it).
    mutating func save(dependency name: String, spec: String) {
        guard case .object(var object) = json else { return }
        for key in ["devDependencies", "optionalDependencies", "peerDependencies"] {
            if case .object(var deps)? = object[key], deps[name] != nil {
                deps[name] = .string(spec)
                object[key] = .object(deps)
                json = .object(object)
                savedEdits.append((key, name, spec))
                return
            }
        }
        savedEdits.append(("dependencies", name, spec))
        var deps = object["dependencies"]?.objectValue ?? [:]
        deps[name] = .string(spec)
        object["dependencies"] = .object(deps)
        json = .object(object)
    }

    /// The root entry (`""`) of the lockfile.
    var lockRootEntry: Lockfile.Entry {
        var entry = Lockfile.Entry(version: version)
        entry.name = json["name"]?.stringValue  // npm: the root entry names only what package.json names
        entry.dependencies = map("dependencies")
        entry.devDependencies = map("devDependencies")
        entry.optionalDependencies = map("optionalDependencies")
        entry.peerDependencies = map("peerDependencies")
        return entry
    }

    /// package.json as npm writes it: an existing file keeps its text except the edited maps.
    func rendered() -> Data {
        if let originalText, let edited = PackageJSONText.saving(savedEdits, into: originalText) {
            return Data(edited.utf8)
        }
        return Data(OrderedJSONWriter().render(Self.ordered(json)).utf8)
    }

    /// A new package.json: `name`, `version` first, then the rest by name, maps sorted (as npm writes one).
    static func ordered(_ json: JSONValue) -> OrderedJSONWriter.Node {
        let object = json.objectValue ?? [:]
        let first = ["name", "version"].filter { object[$0] != nil }
        let keys = first + object.keys.filter { !first.contains($0) }.sorted()
        return .object(keys.map { ($0, .value(object[$0]!)) })
    }
}
