import SafeJSON
import NpmModel
import Semver

/// Sorts specs, resolutions and versions into registry and not-verifiable sources.
enum EntryClassifier {
    /// The `patchedDependencies` keys (pnpm, Bun), split once: `name@version`, or `name` (or
    /// `name@`) for every version. Looked up per entry in constant time (found by review: each
    /// entry split every key again, 10,000 of each took 15 s). Compared as bytes, as JavaScript does.
    /// pnpm 10 also takes a range (`name@^2.0.0`): anything but an exact version counts for every
    /// version of the name, so a patched package is never taken for the registry's.
    struct PatchedKeys {
        private var everyVersion: Set<[UInt8]> = []
        private var versions: [[UInt8]: Set<[UInt8]>] = [:]

        init(_ keys: [String]) {
            for key in keys {
                guard let (name, version) = splitDescriptor(key) else { everyVersion.insert(Array(key.utf8)); continue }
                if version.isEmpty || SemanticVersion(version) == nil {
                    everyVersion.insert(Array(name.utf8))
                } else {
                    versions[Array(name.utf8), default: []].insert(Array(version.utf8))
                }
            }
        }

        /// Whether a key names `package`.
        func contains(_ package: LockedPackage) -> Bool {
            let name = Array(package.name.utf8)
            return everyVersion.contains(name) || versions[name]?.contains(Array(package.version.utf8)) == true
        }
    }

    /// A patched entry as two: the package itself, still verified as the registry version pnpm or
    /// Bun downloads (from its `resolution`, with its integrity) before patching it, and the patch,
    /// listed as not verifiable. Found by review: listing the whole entry let its base come from
    /// any host, unverified, behind a small patch file.
    static func splitPatched(_ package: LockedPackage, by manager: String) -> [LockedPackage] {
        let patch = LockedPackage(key: package.key + " (patch)", name: package.name, version: package.version,
                                  kind: .notVerifiable("patched package (patchedDependencies): \(manager) applies the project's patch to the verified registry bytes; the patch itself is not verified"),
                                  line: package.line)
        return [package, patch]
    }

    /// Refuses a block locked at `version` for a descriptor whose semver range that version does
    /// not meet (`npm:` aliases read by their range): Yarn follows the lockfile whatever the range
    /// says, so a dependency could be pinned to a version its dependent excludes (found by review).
    static func refuseVersionOutsideRanges(_ descriptors: [String], version: String, file: String, overrides: [String: String] = [:]) throws {
        guard SemanticVersion(version) != nil else { return }
        for descriptor in descriptors {
            guard let (name, rest) = splitDescriptor(descriptor) else { continue }
            // An override replaces the range it is held to (found by review: it excused any version).
            var range = overrides[name] ?? rest
            if range.hasBytePrefix("npm:") { range = range.droppingBytePrefix("npm:") }
            if let (_, aliased) = splitDescriptor(range) { range = aliased }
            guard !LockedRange.meets(version, range) else { continue }
            throw LockfileError("\(file): \(descriptor) is locked at \(version), which \(overrides[name] == nil ? "its range" : "the project's override \(overrides[name]!)") does not allow: the package manager would install that version anyway")
        }
    }

    /// Splits `name@rest` where the name may be scoped (`@s/n@rest`).
    static func splitDescriptor(_ descriptor: String) -> (name: String, rest: String)? {
        let start = descriptor.hasBytePrefix("@") ? descriptor.utf8.index(after: descriptor.startIndex) : descriptor.startIndex
        guard let at = descriptor[start...].firstIndex(of: "@") else { return nil }
        return (String(descriptor[..<at]), String(descriptor[descriptor.index(after: at)...]))
    }

    /// Refuses a Yarn block that installs from `reason`'s source (git, a file, a URL) while a
    /// descriptor it serves asks for a registry version: Yarn follows the lockfile's resolution
    /// whatever the range says, so the install would take that source's code unverified. A block
    /// that also serves a source descriptor is Yarn merging a range onto a source only where the
    /// project's package.json asks for that source itself (found by a re-attack: an unused `file:`
    /// descriptor excused the block); without package.json such a block stays listed.
    static func refuseDisguisedSource(_ descriptors: [String], reason: String, file: String, project: JSONValue?) throws {
        let parsed = descriptors.compactMap { splitDescriptor($0) }
        guard parsed.count == descriptors.count else { return }
        let sources = parsed.filter { !AliasEdges.isRegistrySpec($0.rest, name: $0.name) }
        guard sources.count < parsed.count else { return }
        if let project, overridesSource(project, name: parsed[0].name) { return }
        if !sources.isEmpty {
            guard let project else { return }
            if sources.allSatisfy({ projectAsks(project, name: $0.name, spec: $0.rest) }) { return }
        }
        throw LockfileError("\(file): \(descriptors.joined(separator: ", ")) ask for a registry package, but the entry is not one (\(reason)): the package manager follows the lockfile, so it would install that code unverified")
    }

    /// Whether the project's package.json replaces `name`'s spec everywhere with a git, file or URL
    /// spec: a top-level npm or Bun `overrides` rule (`name`, `name@range`, or `{".": spec}`) or a
    /// Yarn `resolutions` rule for every path (`name`, `**/name`). Then the project asks for that
    /// source itself (found by a re-attack: such lockfiles were refused). A nested rule applies only
    /// below its parent, and so excuses nothing here (found by a later re-attack).
    static func overridesSource(_ project: JSONValue, name: String) -> Bool {
        let overrides = (project["overrides"]?.objectValue ?? [:]).compactMap { key, rule -> String? in
            let spec = rule.stringValue ?? rule["."]?.stringValue
            return spec.flatMap(DeclaredSpecs.nonRegistryReason) == nil ? nil : (splitDescriptor(key)?.name ?? key)
        }
        let resolutions = (project["resolutions"]?.objectValue ?? [:]).compactMap { key, value -> String? in
            guard value.stringValue.flatMap(DeclaredSpecs.nonRegistryReason) != nil else { return nil }
            let global = key.hasBytePrefix("**/") ? String(key.dropFirst(3)) : key
            let parts = global.split(separator: "/")
            let single = parts.count == 1 || (parts.count == 2 && global.hasBytePrefix("@"))
            return single ? (splitDescriptor(global)?.name ?? global) : nil
        }
        return (overrides + resolutions).contains { $0.utf8.elementsEqual(name.utf8) }
    }

    /// The package managers whose override fields differ.
    enum OverrideFields { case yarn, bun, pnpm }

    /// What the project's package.json overrides each package with, in the fields `manager` reads
    /// (Yarn: `resolutions`; Bun: `overrides` and `resolutions`; pnpm: `pnpm.overrides` and
    /// `resolutions`), for plain-name keys only (`name`, Yarn's `**/name`): a scoped key applies
    /// under its parent only, which is not modelled, so it excuses nothing. The lockfile's own
    /// word never counts (found by review: a lockfile-only or scoped override excused any version).
    static func overrideSpecs(project: JSONValue?, manager: OverrideFields) -> [String: String] {
        let fields: [JSONValue?] = switch manager {
        case .yarn: [project?["resolutions"]]
        case .bun: [project?["overrides"], project?["resolutions"]]
        case .pnpm: [project?["pnpm"]?["overrides"], project?["resolutions"]]
        }
        var specs: [String: String] = [:]
        for field in fields {
            for (key, value) in field?.objectValue ?? [:] {
                guard let spec = value.stringValue else { continue }
                let name = manager == .yarn && key.hasBytePrefix("**/") ? String(key.dropFirst(3)) : key
                guard !name.contains(">"), (try? validName(name, entry: key)) != nil, name == (splitDescriptor(name)?.name ?? name) else { continue }
                specs[name] = spec
            }
        }
        return specs
    }

    /// Whether the project's package.json declares `name` with `spec` (Berry's `npm:` prefix aside).
    static func projectAsks(_ project: JSONValue, name: String, spec: String) -> Bool {
        DeclaredSpecs.fields.contains { field in
            guard let declared = project[field]?[name]?.stringValue?.trimmingWhitespace() else { return false }
            return declared == spec || "npm:" + declared == spec
        }
    }

    /// Whether `reference` (`workspace:packages/a`) is a workspace the project's package.json
    /// declares, which Bun and Berry link for a range its version meets; without package.json,
    /// any `workspace:`. A `link:` or `portal:`, or a folder no glob declares, is a source like any
    /// other (found by a re-attack: every such reference was excused).
    static func isDeclaredWorkspace(_ reference: String, project: JSONValue?) -> Bool {
        guard reference.lowercased().hasBytePrefix("workspace:") else { return false }
        guard let project else { return true }
        let folder = normalizedFolder(String(reference.dropFirst("workspace:".count)))
        return folder == "." || WorkspaceGlobs(project).contains(folder)
    }

    /// A folder path relative to the project as Node's `path.resolve` reads it: `.`, empty parts
    /// and a leading `./` dropped, `..` applied (`./vendor//x/../y` is `vendor/y`; the root is `.`).
    /// The package manager resolves a link's target so, and a raw comparison missed `vendor/./x`
    /// (found by a re-attack).
    static func normalizedFolder(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == "..", !parts.isEmpty, parts.last != ".." { parts.removeLast() } else { parts.append(part) }
        }
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// A valid package name, or a `LockfileError` naming the entry.
    static func validName(_ name: String, entry: String) throws -> String {
        do { return try PackageName(name).value } catch {
            throw LockfileError("entry \(entry): \(error)")
        }
    }

}
