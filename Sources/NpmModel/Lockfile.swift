public import FoundationEssentials
import SafeJSON
import CodedError

/// `package-lock.json` with `lockfileVersion` 3 (the `packages` section keyed by install path).
public struct Lockfile: Sendable, Equatable {
    /// One installed package: where it sits (`node_modules/a/node_modules/b`) and what it is.
    public struct Entry: Sendable, Equatable {
        public var name: String?
        public var version: String?
        public var resolved: String?
        public var integrity: String?
        public var dev = false
        public var optional = false
        /// npm's `devOptional`: needed only through dev and optional paths together, so neither
        /// `dev` nor `optional` is set; `--omit=dev --omit=optional` leaves it out.
        public var devOptional = false
        public var peer = false
        public var hasInstallScript = false
        /// Installed from the tarball of the package above it (`bundleDependencies`), not from the registry.
        public var inBundle = false
        /// npm found the folder but nothing depends on it (`extraneous`); npm prunes such entries.
        public var extraneous = false
        /// Read, never written: what `npm ci` takes from the entry itself, as its load-virtual makes
        /// the entry the package. `link` (a symbolic link to `resolved`), `hasShrinkwrap` (the subtree
        /// comes from the tarball's own npm-shrinkwrap.json) and `scripts` (run as install scripts;
        /// here the JSON text of a truthy value).
        public var link = false
        public var hasShrinkwrap = false
        public var scripts: String?
        /// Read, never written: the entry's `bin` is a string or a list, which npm links under
        /// names it derives (found by review: read as no bins).
        public var binNotAnObject = false
        public var license: String?
        public var dependencies: [String: String] = [:]
        public var devDependencies: [String: String] = [:]
        public var optionalDependencies: [String: String] = [:]
        public var peerDependencies: [String: String] = [:]
        /// Peers `peerDependenciesMeta` marks optional; every other peer is required.
        public var optionalPeers: Set<String> = []
        /// The names the package bundles (`bundleDependencies`), as npm records them.
        public var bundleDependencies: [String] = []
        public var engines: [String: String] = [:]
        /// Read, never written: `engines` names whose value is truthy but no string, which npm's
        /// checkEngine fails (an optional package is then left out).
        public var nonStringEngines: Set<String> = []
        public var bin: [String: String] = [:]
        /// npm's platform fields (`os`, `cpu`, `libc`), each a list; nil when absent.
        public var os: [String]?
        public var cpu: [String]?
        public var libc: [String]?

        public init(version: String? = nil, resolved: String? = nil, integrity: String? = nil) {
            self.version = version
            self.resolved = resolved
            self.integrity = integrity
        }
    }

    public var name: String
    public var version: String?
    /// Keyed by install path; `""` is the root project.
    public var packages: [String: Entry]

    public init(name: String, version: String?, packages: [String: Entry]) {
        self.name = name
        self.version = version
        self.packages = packages
    }

    /// The package name an install path refers to (`node_modules/@a/b/node_modules/c` → `c`);
    /// nil when that is not a valid package name (`@s/..`, `..`, `a/b`).
    public static func packageName(atPath path: String) -> String? {
        // Split where `isValidInstallPath` splits, on whole `/node_modules/` segments: a scope such
        // as `@acmenode_modules` must not be cut in two.
        if let names = installPathNames(path) { return names.last }
        let rooted = path.hasBytePrefix("node_modules/") ? "/" + path : path
        guard let range = rooted.lastByteRange(of: "/node_modules/") else { return nil }
        let name = String(rooted[range.upperBound...])
        return (try? PackageName(name)) == nil ? nil : name
    }

    /// The folders `path` lies inside as `<folder>/node_modules/…`: the text before each
    /// `/node_modules/` in it, longest first. A caller looks each one up in a set rather than
    /// testing every folder it knows against the path, which is quadratic over a lockfile.
    public static func enclosingFolders(of path: String) -> [Substring] {
        let bytes = Array(path.utf8), marker = Array("/node_modules/".utf8)
        guard bytes.count > marker.count else { return [] }
        return stride(from: bytes.count - marker.count, to: 0, by: -1)
            .filter { bytes[$0..<($0 + marker.count)].elementsEqual(marker) }
            .map { Substring(String(decoding: bytes[..<$0], as: UTF8.self)) }
    }

    /// Whether `path` is `node_modules/<name>(/node_modules/<name>)*` with valid package names,
    /// so a hostile lockfile cannot place files anywhere else.
    public static func isValidInstallPath(_ path: String) -> Bool {
        installPathNames(path) != nil
    }

    /// The package names along an install path (`node_modules/a/node_modules/@s/b` gives `a`,
    /// `@s/b`), read segment by segment as npm does: `node_modules`, then one segment, or two
    /// when the first is a scope. So `@s/node_modules` is a name, not a folder. nil unless the
    /// whole path has that shape with valid names. Compared on bytes.
    public static func installPathNames(_ path: String) -> [String]? {
        let segments = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { Substring($0) }
        var names: [String] = []
        var index = 0
        while index < segments.count {
            guard segments[index].utf8.elementsEqual("node_modules".utf8), index + 1 < segments.count else { return nil }
            var name = String(segments[index + 1])
            index += 2
            if name.utf8.first == UInt8(ascii: "@") {
                guard index < segments.count else { return nil }
                name += "/" + segments[index]
                index += 1
            }
            guard (try? PackageName(name)) != nil else { return nil }
            names.append(name)
        }
        return names.isEmpty ? nil : names
    }

    /// The install path of the packages named `names` (inverse of ``installPathNames(_:)``).
    public static func installPath(_ names: some Sequence<String>) -> String {
        names.map { "node_modules/" + $0 }.joined(separator: "/")
    }

    // MARK: - Reading

    /// Most JSON values a lockfile may hold: 50,000 entries of some tens each, with room to spare.
    public static let maxValues = 4_000_000

    public init(data: Data, file: String) throws {
        let json: JSONValue
        do { json = try JSONValue.parse(data, maxValues: Self.maxValues) } catch {
            throw NpmModelError(.malformedDocument, "\(file) is not valid JSON: \(error)")
        }
        let lockfileVersion = json["lockfileVersion"] ?? .null
        guard lockfileVersion.integer(in: 2...3) != nil else {
            throw NpmModelError(.unsupportedLockfile, "\(file): lockfileVersion: expected 2 or 3, found \(lockfileVersion.briefDescription)")
        }
        guard let packages = json["packages"]?.objectValue else {
            throw NpmModelError(.unsupportedLockfile, "\(file): packages: expected an object (lockfileVersion 2 or 3), found \(json["packages"]?.briefDescription ?? "nothing")")
        }
        name = json["name"]?.stringValue ?? ""
        self.version = json["version"]?.stringValue
        var entries: [String: Entry] = [:]
        for (path, value) in packages {
            entries[path] = Entry(json: value)
        }
        self.packages = entries
    }

    // MARK: - Writing

    /// Serialises like npm: fixed top-level order, `""` first then paths sorted, two-space indent.
    public func serialized() -> Data {
        typealias Node = OrderedJSONWriter.Node
        var top: [(String, Node)] = [("name", .value(.string(name)))]
        if let version { top.append(("version", .value(.string(version)))) }
        top.append(("lockfileVersion", .value(3)))
        top.append(("requires", .value(true)))
        let paths = packages.keys.sorted { a, b in a.isEmpty || (!b.isEmpty && a < b) }
        top.append(("packages", .object(paths.map { ($0, packages[$0]!.node) })))
        return Data(OrderedJSONWriter().render(.object(top)).utf8)
    }
}
