import FixtureTesting
import Foundation
import SafeJSON

/// Recorded registry.npmjs.org data (`shared/vectors/npm-real`) served from a loopback
/// ``StaticRegistry``: full packuments built from the recorded `dist` fields, the recorded
/// attestations responses and a recorded `/-/npm/v1/keys` body.
struct RealRegistryData {
    /// One recorded version: its `dist` as recorded and its attestations file.
    struct Version {
        let name: String
        let version: String
        var dist: [String: JSONValue]
        var attestations: Data?
        var published = "2023-01-24T00:00:00.000Z"
    }

    var versions: [Version]
    /// `/-/npm/v1/keys` body; nil serves a 404 (a registry without keys).
    var keys: Data?

    /// sigstore@1.0.0 and tuf-js@1.0.0: signed, with publish and provenance attestations.
    static func signedAndAttested() throws -> RealRegistryData {
        let manifests = try JSONValue.parse(try Data(contentsOf: Repository.vector("npm-real/manifests.json")))["versions"]?.arrayValue ?? []
        var versions: [Version] = []
        for entry in manifests {
            guard let name = entry["name"]?.stringValue, let version = entry["version"]?.stringValue,
                  ["sigstore@1.0.0", "tuf-js@1.0.0"].contains("\(name)@\(version)"),
                  let dist = entry["dist"]?.objectValue, let file = entry["attestationsFile"]?.stringValue else { continue }
            versions.append(Version(name: name, version: version, dist: dist, attestations: try Data(contentsOf: Repository.vector("npm-real/\(file)"))))
        }
        return RealRegistryData(versions: versions.sorted { $0.name < $1.name },
                                keys: try Data(contentsOf: Repository.vector("npm-real/keys/npm-v1-keys.npm-cli-test.json")))
    }

    /// The documents to serve, by raw request path.
    func documents() throws -> [String: Data] {
        var documents: [String: Data] = [:]
        if let keys { documents["/-/npm/v1/keys"] = keys }
        for name in Set(versions.map(\.name)) {
            let mine = versions.filter { $0.name == name }
            var versionDocs: [String: JSONValue] = [:]
            var time: [String: JSONValue] = [:]
            for v in mine {
                versionDocs[v.version] = ["name": .string(name), "version": .string(v.version), "_id": .string("\(name)@\(v.version)"),
                                          "dist": .object(v.dist)]
                time[v.version] = .string(v.published)
                if let attestations = v.attestations { documents["/-/npm/v1/attestations/\(name)@\(v.version)"] = attestations }
            }
            let packument: JSONValue = ["name": .string(name), "dist-tags": ["latest": .string(mine.last!.version)],
                                        "versions": .object(versionDocs), "time": .object(time)]
            documents["/\(name)"] = try packument.serialized()
        }
        return documents
    }

    /// A project whose package.json depends on every version, each installed at `node_modules/<name>`.
    func project(in scratch: ScratchTree) throws {
        let dependencies = Dictionary(uniqueKeysWithValues: versions.map { ($0.name, $0.version) })
        try scratch.write("package.json", String(decoding: try JSONValue.object(["name": "audit-real", "version": "1.0.0",
            "dependencies": .object(dependencies.mapValues { .string($0) })]).serialized(), as: UTF8.self))
        for v in versions { try scratch.install("node_modules/\(v.name)", name: v.name, version: v.version) }
    }

    /// Edits the attestations response of `name`: `edit` gets the parsed entries.
    mutating func editAttestations(of name: String, _ edit: (inout [JSONValue]) -> Void) throws {
        guard let index = versions.firstIndex(where: { $0.name == name }), let data = versions[index].attestations else { return }
        var entries = try JSONValue.parse(data)["attestations"]?.arrayValue ?? []
        edit(&entries)
        versions[index].attestations = try JSONValue.object(["attestations": .array(entries)]).serialized()
    }
}

extension JSONValue {
    /// Sets `value` at a path of object keys (array steps as decimal indices).
    mutating func set(_ path: [String], _ value: JSONValue) {
        guard let key = path.first else { self = value; return }
        switch self {
        case .object(var object):
            var child = object[key] ?? .null
            child.set(Array(path.dropFirst()), value)
            object[key] = child
            self = .object(object)
        case .array(var items):
            guard let index = Int(key), items.indices.contains(index) else { return }
            items[index].set(Array(path.dropFirst()), value)
            self = .array(items)
        default: return
        }
    }
}
