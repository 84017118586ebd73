import NpmModel
import SafeJSON
import Semver

/// The dependency specs a lockfile's entries (and the project's) declare. npm builds its tree
/// from these specs: an edge whose spec is a git, file or URL spec is fetched from there, whatever
/// the locked entry of that name says (found by a re-attack: `npm ci` installed a git repository
/// with no integrity check for a lockfile whose entries all verified). Each such spec is listed
/// as an entry the gate cannot verify.
enum DeclaredSpecs {
    /// The fields npm reads edges from; `devDependencies` only count at the root.
    static let fields = ["dependencies", "optionalDependencies", "peerDependencies", "devDependencies"]

    /// Why npm would not take `spec` from the registry, or nil for a registry range, version or
    /// tag, or an `npm:` alias of one.
    static func nonRegistryReason(_ spec: String) -> String? {
        var text = spec.trimmingWhitespace()
        if text.utf8.count >= 4, text.lowercased().hasBytePrefix("npm:") {
            let aliased = String(text.dropFirst(4))
            guard let (_, rest) = EntryClassifier.splitDescriptor(aliased) else { return nil }  // npm:name: its latest
            text = rest
        }
        return Semver.isRegistrySpec(text) ? nil : (NpmSource.nonRegistryReason(text) ?? "not a registry version, range or tag")
    }

    /// A not-verifiable item for each non-registry spec in `value`'s dependency maps; `who` names
    /// the dependent (`package.json`, an install path). A map whose values are not all strings is refused.
    static func items(in value: JSONValue, who: String, fields: [String] = fields, line: Int) throws -> [LockedPackage] {
        var items: [LockedPackage] = []
        for field in fields {
            guard let map = value[field] else { continue }
            guard let object = map.objectValue else { throw LockfileError("\(who): \(field) is \(map.briefDescription), not an object") }
            for name in object.keys.sorted() {
                guard let spec = object[name]?.stringValue else {
                    throw LockfileError("\(who): \(field).\(name) is \(object[name]!.briefDescription), not a spec")
                }
                guard let reason = nonRegistryReason(spec) else { continue }
                items.append(LockedPackage(key: "\(who) → \(name)", name: name, version: spec,
                                           kind: .notVerifiable("\(who) declares it as \(spec) (\(field)): npm installs it from there, not from its lockfile entry (\(reason))"),
                                           line: line))
            }
        }
        return items
    }

    /// The specs package.json `overrides` would put on edges (nested rules included; `$name`
    /// references name one of the project's own specs, read with the rest).
    static func overrideItems(in value: JSONValue?, path: String = "overrides", depth: Int = 0) -> [LockedPackage] {
        guard depth < 32, let rules = value?.objectValue else { return [] }
        var items: [LockedPackage] = []
        for key in rules.keys.sorted() {
            let rule = rules[key]!
            if let spec = rule.stringValue, !spec.hasBytePrefix("$"), let reason = nonRegistryReason(spec) {
                let name = key == "." ? path : "\(path).\(key)"
                items.append(LockedPackage(key: "package.json \(name)", name: key, version: spec,
                                           kind: .notVerifiable("package.json \(name) overrides it with \(spec): npm installs it from there (\(reason))")))
            } else {
                items += overrideItems(in: rule, path: key == "." ? path : "\(path).\(key)", depth: depth + 1)
            }
        }
        return items
    }
}
