public import Foundation
public import SafeJSON
import Tarball

/// Generates a registry of N made-up packages with a realistic dependency graph, for the
/// benchmark and large-tree tests: caret ranges, a few packages with two majors (so some
/// installs nest), a handful of small files per package. Deterministic for a given seed.
public struct SyntheticRegistry {
    public let count: Int
    public let seed: UInt64

    public init(count: Int, seed: UInt64 = 42) {
        self.count = count
        self.seed = seed
    }

    public func name(_ index: Int) -> String { "@bench/pkg-\(String(format: "%05d", index))" }

    /// The GitHub repository a package says it is built from (`repository` in package.json), so a
    /// provenance statement from that repository's workflow passes the registry's repository check.
    public func repository(_ index: Int) -> String { "bench-org/pkg-\(String(format: "%05d", index))" }

    /// One generated version: package.json, tarball, and the dist-tags a publish points at it.
    public struct Version: Sendable {
        public let index: Int
        public let name: String
        public let version: String
        public let manifest: [String: JSONValue]
        public let tarball: Data
        public let tags: [String]
    }

    /// Every version in publish order (1.0.0, 2.0.0, 2.1.0 of each package) and the consumer's
    /// `dependencies` (enough roots that the whole graph is reachable).
    public func versions() throws -> (versions: [Version], roots: [String: String]) {
        var random = SplitMix(seed: seed)
        var dependents = [Int](repeating: 0, count: count)
        var graph: [[(Int, String)]] = []
        for index in 0..<count {
            var deps: [(Int, String)] = []
            let fanout = index + 1 < count ? Int(random.next() % 4) : 0
            for _ in 0..<fanout {
                let target = index + 1 + Int(random.next() % UInt64(min(count - index - 1, 60)))
                guard !deps.contains(where: { $0.0 == target }) else { continue }
                // One edge in eight asks for the older major, which forces nesting somewhere.
                deps.append((target, random.next() % 8 == 0 ? "^1.0.0" : "^2.0.0"))
                dependents[target] += 1
            }
            graph.append(deps)
        }
        var versions: [Version] = []
        for index in 0..<count {
            let dependencies = Dictionary(uniqueKeysWithValues: graph[index].map { (name($0.0), $0.1) })
            for version in ["1.0.0", "2.0.0", "2.1.0"] {
                versions.append(try make(index, version: version, dependencies: dependencies, random: &random))
            }
        }
        var roots: [String: String] = [:]
        for index in 0..<count where dependents[index] == 0 { roots[name(index)] = "^2.0.0" }
        return (versions, roots)
    }

    /// Adds every package to `storage` (registry signatures, no attestations) and returns the
    /// consumer's `dependencies`.
    @discardableResult
    public func generate(into storage: RegistryStorage) throws -> [String: String] {
        let (versions, roots) = try versions()
        for item in versions {
            try storage.addVersion(manifest: .object(item.manifest), tarball: item.tarball, tags: item.tags)
        }
        return roots
    }

    private func make(_ index: Int, version: String, dependencies: [String: String], random: inout SplitMix) throws -> Version {
        let packageName = name(index)
        var manifest: [String: JSONValue] = [
            "name": .string(packageName), "version": .string(version), "main": "lib/index.js", "license": "MIT",
            "description": .string("synthetic benchmark package \(index)"),
            "repository": ["type": "git", "url": .string("git+https://github.com/\(repository(index)).git")],
        ]
        if !dependencies.isEmpty { manifest["dependencies"] = .object(dependencies.mapValues { .string($0) }) }
        let json = JSONValue.object(manifest)
        var files = [PackFile(path: "package.json", contents: try json.serialized(pretty: true))]
        let body = (0..<(20 + Int(random.next() % 200))).map { i in
            "exports.f\(i) = function f\(i)(x) { return x * \(random.next() % 1000) + \(i); };"
        }.joined(separator: "\n")
        files.append(PackFile(path: "lib/index.js", contents: Data(body.utf8)))
        files.append(PackFile(path: "README.md", contents: Data("# \(packageName)\n\nSynthetic package \(index), version \(version).\n".utf8)))
        files.append(PackFile(path: "lib/index.d.ts", contents: Data("export declare function f0(x: number): number;\n".utf8)))
        return Version(index: index, name: packageName, version: version, manifest: manifest,
                       tarball: try TarballPacker.pack(files: files), tags: ["latest"])
    }
}

/// A small deterministic PRNG (SplitMix64), so generated registries are reproducible.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
