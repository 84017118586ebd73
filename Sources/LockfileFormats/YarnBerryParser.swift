/// Yarn Berry (v2+) `yarn.lock`: YAML with `__metadata`; descriptors map to a `resolution` and a
/// `checksum` of Yarn's own zip (not npm's SRI).
struct YarnBerryParser {
    let limits: LockfileLimits

    func parse(_ text: String) throws -> ParsedLockfile {
        let tree = try YamlTree.parse(text, limits: limits, file: "yarn.lock")
        let version = tree["__metadata"]?["version"]?.string ?? "?"
        let entries = tree.entries.filter { $0.key != "__metadata" }
        guard entries.count <= limits.maxEntries else { throw LockfileError("yarn.lock has more than \(limits.maxEntries) entries") }
        return ParsedLockfile(format: .yarnBerry, formatVersion: version,
                              packages: try entries.map { try entry(key: $0.key, $0.value, line: $0.line) })
    }

    func entry(key: String, _ value: YamlTree, line: Int) throws -> LockedPackage {
        let first = key.split(separator: ",").first.map { $0.trimmingWhitespace() } ?? key
        guard let (name, _) = EntryClassifier.splitDescriptor(first),
              let resolution = value["resolution"]?.string, let (target, reference) = EntryClassifier.splitDescriptor(resolution) else {
            throw LockfileError("yarn.lock: entry \(key) has no name@protocol:reference resolution")
        }
        let installed = try EntryClassifier.validName(name, entry: key)
        let version = value["version"]?.string ?? ""
        var package = LockedPackage(key: key, name: installed, version: version, resolved: resolution,
                                    berryChecksum: value["checksum"]?.string, line: line)
        if reference.hasPrefix("npm:") {
            let real = try EntryClassifier.validName(target, entry: key)
            package.version = String(reference.dropFirst(4))
            if real != installed { package.alias(installedAs: installed, real: real, version: package.version) }
        } else {
            package.kind = .notVerifiable(EntryClassifier.nonRegistryReason(reference) ?? "not a registry package (\(resolution))")
        }
        return package
    }
}

import FoundationEssentials
import SafeJSON
