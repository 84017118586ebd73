public import SafeJSON

/// Reading and writing one `packages` entry as npm does.
extension Lockfile.Entry {
    init(json: JSONValue) {
        name = json["name"]?.stringValue
        version = json["version"]?.stringValue
        resolved = json["resolved"]?.stringValue
        integrity = json["integrity"]?.stringValue
        dev = JSONValue.isTruthy(json["dev"])
        optional = JSONValue.isTruthy(json["optional"])
        devOptional = JSONValue.isTruthy(json["devOptional"])
        peer = JSONValue.isTruthy(json["peer"])
        hasInstallScript = JSONValue.isTruthy(json["hasInstallScript"])
        inBundle = JSONValue.isTruthy(json["inBundle"])
        extraneous = JSONValue.isTruthy(json["extraneous"])
        link = JSONValue.isTruthy(json["link"])
        hasShrinkwrap = JSONValue.isTruthy(json["hasShrinkwrap"]) || JSONValue.isTruthy(json["_hasShrinkwrap"])
        scripts = JSONValue.isTruthy(json["scripts"]) ? (try? json["scripts"]?.serialized()).map { String(decoding: $0, as: UTF8.self) } ?? "(scripts)" : nil
        license = json["license"]?.stringValue
        dependencies = json["dependencies"]?.stringMap ?? [:]
        devDependencies = json["devDependencies"]?.stringMap ?? [:]
        optionalDependencies = json["optionalDependencies"]?.stringMap ?? [:]
        peerDependencies = json["peerDependencies"]?.stringMap ?? [:]
        optionalPeers = Manifest.optionalPeers(json["peerDependenciesMeta"])
        bundleDependencies = Manifest.bundled(json, dependencies: dependencies).sorted()
        engines = json["engines"]?.stringMap ?? [:]
        let declaredEngines = json["engines"]?.objectValue ?? [:]
        nonStringEngines = Set(declaredEngines.keys.filter { declaredEngines[$0]?.stringValue == nil && JSONValue.isTruthy(declaredEngines[$0]) })
        bin = json["bin"]?.stringMap ?? [:]
        binNotAnObject = JSONValue.isTruthy(json["bin"]) && json["bin"]?.objectValue == nil
        os = Self.platformList(json["os"])
        cpu = Self.platformList(json["cpu"])
        libc = Self.platformList(json["libc"])
    }

    /// A platform field (`os`, `cpu`, `libc`) as npm reads it: a falsy value (absent, `""`, `0`,
    /// `false`, `null`) is no list, a string is a one-entry list. Anything else but a list of
    /// strings makes npm-install-checks throw, which skips an optional package and fails a
    /// required one, so it reads as ``malformedPlatformList``, which nothing matches (found by
    /// review: its bad entries were dropped and the package installed).
    public static func platformList(_ value: JSONValue?) -> [String]? {
        guard JSONValue.isTruthy(value), let value else { return nil }
        if let text = value.stringValue { return [text] }
        guard let array = value.arrayValue else { return malformedPlatformList }
        let strings = array.compactMap(\.stringValue)
        return strings.count == array.count ? strings : malformedPlatformList
    }

    /// What a platform field npm cannot read stands for.
    public static let malformedPlatformList = ["(not a list of strings)"]

    /// Fields in the order npm's shrinkwrap writes them.
    var node: OrderedJSONWriter.Node {
        var pairs: [(String, OrderedJSONWriter.Node)] = []
        func add(_ key: String, _ value: String?) { if let value { pairs.append((key, .value(.string(value)))) } }
        func flag(_ key: String, _ on: Bool) { if on { pairs.append((key, .value(true))) } }
        func map(_ key: String, _ m: [String: String]) {
            if !m.isEmpty { pairs.append((key, .value(.object(m.mapValues { .string($0) })))) }
        }
        add("name", name)
        add("version", version)
        add("resolved", resolved)
        add("integrity", integrity)
        flag("dev", dev)
        flag("optional", optional)
        flag("devOptional", devOptional && !dev && !optional)
        flag("peer", peer)
        flag("hasInstallScript", hasInstallScript)
        flag("inBundle", inBundle)
        add("license", license)
        map("dependencies", dependencies)
        map("devDependencies", devDependencies)
        map("optionalDependencies", optionalDependencies)
        map("peerDependencies", peerDependencies)
        if !optionalPeers.isEmpty {
            pairs.append(("peerDependenciesMeta", .value(.object(Dictionary(uniqueKeysWithValues: optionalPeers.map { ($0, ["optional": true]) })))))
        }
        if !bundleDependencies.isEmpty { pairs.append(("bundleDependencies", .value(.array(bundleDependencies.map { .string($0) })))) }
        map("bin", bin)
        map("engines", engines)
        func list(_ key: String, _ values: [String]?) {
            if let values { pairs.append((key, .value(.array(values.map { .string($0) })))) }
        }
        list("os", os)
        list("cpu", cpu)
        list("libc", libc)
        return .object(pairs)
    }
}
