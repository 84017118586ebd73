import NpmModel
import SafeJSON

/// Which dependency edges of a v2/v3 `package-lock.json` reach each entry named for another
/// package than its folder. npm installs such an entry's bytes under the folder's name for every
/// edge that reaches it and checks only the version against the edge's range (arborist's
/// `dep-valid.js`), so `node_modules/lodash` holding `evil@4.17.21` passes `lodash@^4` (found by
/// review). The entry is an npm alias only when every edge reaching it says `npm:<its name>@…`.
struct AliasEdges {
    /// Per install path: the dependents whose edges reach it without naming its package.
    private(set) var plain: [String: [String]] = [:]
    /// Per install path: how many edges reach it as an `npm:` alias of its package.
    private(set) var aliased: [String: Int] = [:]

    /// Walks every dependency map of `packages` (the root `""`, workspace folders and entries) and
    /// resolves each edge as Node does: the nearest `node_modules/<name>` up from the dependent.
    /// `project`: the package.json beside the lockfile, whose specs npm resolves as the root's.
    init(_ packages: [String: JSONValue], workspaceFolders: Set<String>, project: JSONValue? = nil) {
        let dependents = packages.keys.sorted().map { ($0, packages[$0]) } + [("", project)]
        for (dependent, declaring) in dependents {
            let fields = dependent.isEmpty || workspaceFolders.contains(dependent) ? DeclaredSpecs.fields : Array(DeclaredSpecs.fields.dropLast())
            for field in fields {
                guard let map = declaring?[field]?.objectValue else { continue }
                for (name, spec) in map {
                    guard let target = Self.resolve(name, from: dependent, in: packages),
                          let entryName = packages[target]?["name"]?.stringValue, !entryName.utf8.elementsEqual(name.utf8) else { continue }
                    if Self.isAlias(spec.stringValue ?? "", of: entryName) {
                        aliased[target, default: 0] += 1
                    } else {
                        plain[target, default: []].append("\(dependent.isEmpty ? "the root" : dependent) asks for it as \(name)@\(spec.stringValue ?? "?") (\(field))")
                    }
                }
            }
        }
    }

    /// Why the entry at `path`, named `name` in a folder of another name, is no npm alias; nil when it is one.
    func refusal(path: String, name: String) -> String? {
        if let plain = plain[path], !plain.isEmpty {
            return "\(path) holds \(name), but \(plain.sorted().joined(separator: "; ")), not as an npm:\(name) alias: npm checks only the version, so it would install \(name)'s code under another name"
        }
        return nil
    }

    /// Whether no edge reaches `path` as an alias (then nothing says why it bears another name).
    func isUndeclared(path: String) -> Bool { (aliased[path] ?? 0) == 0 }

    /// `npm:<name>` or `npm:<name>@<range>`.
    static func isAlias(_ spec: String, of name: String) -> Bool {
        let text = spec.trimmingWhitespace()
        guard text.utf8.count > 4, text.lowercased().hasPrefix("npm:") else { return false }
        let target = String(text.dropFirst(4))
        let aliasedName = EntryClassifier.splitDescriptor(target)?.name ?? target
        return aliasedName.utf8.elementsEqual(name.utf8)
    }

    /// The install path Node's resolution finds for `name` required from `dependent`: its own
    /// `node_modules`, then each enclosing one up to the project's (a workspace folder's parent is the root).
    static func resolve(_ name: String, from dependent: String, in packages: [String: JSONValue]) -> String? {
        var base = dependent
        while true {
            let candidate = (base.isEmpty ? "" : base + "/") + "node_modules/" + name
            if packages[candidate] != nil { return candidate }
            if base.isEmpty { return nil }
            guard let range = base.lastByteRange(of: "/node_modules/") else {
                base = ""  // a top-level entry (node_modules/x) or a workspace folder: next is the root
                continue
            }
            base = String(base[..<range.lowerBound])
        }
    }
}
