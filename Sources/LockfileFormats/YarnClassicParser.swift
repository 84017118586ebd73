import NpmModel
import SafeJSON

/// Yarn classic (v1) `yarn.lock`: its own indented format, not YAML. Each block starts with the
/// descriptors it satisfies (`"a@^1", a@~1.2:`) and lists `version`, `resolved`, `integrity`.
///
/// It is read with Yarn's own grammar (`YarnClassicTokenizer`, `YarnClassicDocument`), so every
/// field means what it means to Yarn. Whatever Yarn would read another way than a plain reader
/// does is refused rather than guessed: text Yarn's parser rejects (Yarn then tries YAML),
/// merge-conflict markers (Yarn merges both sides), a field or descriptor given twice (Yarn keeps
/// the last), and several fields on one line.
struct YarnClassicParser {
    let limits: LockfileLimits
    /// The package.json beside the lockfile, when read: what the project itself asks for.
    var project: JSONValue? = nil

    func parse(_ text: String) throws -> ParsedLockfile {
        if let marker = text.split(separator: "\n").firstIndex(where: { ["<<<<<<<", "=======", ">>>>>>>"].contains(where: $0.hasPrefix) }) {
            throw LockfileError("yarn.lock line \(marker + 1): a merge-conflict marker (Yarn would merge both sides); resolve the conflict first")
        }
        let document = try YarnClassicDocument.parse(text, maxDepth: min(limits.maxDepth, 8))
        var out: [LockedPackage] = []
        var descriptors = Set<String>()
        var claims: [String: [LockedPackage.AliasClaim]] = [:]
        let overrides = EntryClassifier.overrideSpecs(project: project, manager: .yarn)
        for block in document.pairs {
            guard out.count < limits.maxEntries else { throw LockfileError("yarn.lock has more than \(limits.maxEntries) entries") }
            guard case .object(let fields) = block.value else {
                throw LockfileError("yarn.lock line \(block.line): expected `descriptor:` and an indented block")
            }
            for key in block.keys {
                guard descriptors.insert(key).inserted else { throw LockfileError("yarn.lock line \(block.line): \(key) is listed twice (Yarn keeps the last)") }
            }
            // With an offline mirror, Yarn 1 installs a prebuilt variant in place of `resolved`, checked
            // against nothing but itself (found by review).
            if fields.contains(where: { $0.keys.first == "prebuiltVariants" }) {
                throw LockfileError("yarn.lock line \(block.line): \(block.keys[0]) has prebuiltVariants, which Yarn installs in place of the verified tarball")
            }
            var package = try entry(block.keys, fields: try Self.strings(fields, block: block), line: block.line, overrides: overrides)
            package.declared = .init(["dependencies", "optionalDependencies"].map { Self.specMap(fields, $0) }, includesPeers: false)
            out.append(package)
            out += Self.nestedSpecs(fields, block: block)
            Self.aliasClaims(fields, of: package, into: &claims)
        }
        for index in out.indices where out[index].installedAs != nil {
            out[index].aliasClaims = out[index].key.split(separator: ", ").flatMap { claims[String($0)] ?? [] }
        }
        return ParsedLockfile(format: .yarnClassic, formatVersion: "1", packages: out)
    }

    /// A block's `field` (`dependencies:`) as name → spec.
    static func specMap(_ fields: [YarnClassicDocument.Pair], _ field: String) -> [String: String] {
        guard case .object(let specs)? = fields.first(where: { $0.keys.first == field })?.value else { return [:] }
        return specs.reduce(into: [:]) { map, spec in
            if let name = spec.keys.first, let text = spec.value.text { map[name] = text }
        }
    }

    /// A block's `dependencies` that ask for an `npm:` alias (`rt "npm:@m/example@^1"`) are only
    /// the lockfile's word that its package declares them (Yarn takes them from the lockfile, not
    /// from the manifest): claims on the alias block, confirmed against the registry. By descriptor.
    static func aliasClaims(_ fields: [YarnClassicDocument.Pair], of package: LockedPackage,
                            into claims: inout [String: [LockedPackage.AliasClaim]]) {
        guard case .registry = package.kind, !package.version.isEmpty else { return }
        for field in fields where ["dependencies", "optionalDependencies"].contains(field.keys.first ?? "") {
            guard case .object(let specs) = field.value else { continue }
            for spec in specs {
                guard let name = spec.keys.first, let text = spec.value.text, text.lowercased().hasBytePrefix("npm:") else { continue }
                claims["\(name)@\(text)", default: []].append(.init(dependentName: package.name, dependentVersion: package.version, dependency: name))
            }
        }
    }

    /// The block's plain fields; nested objects (`dependencies:`) are skipped.
    static func strings(_ fields: [YarnClassicDocument.Pair], block: YarnClassicDocument.Pair) throws -> [String: String] {
        var out: [String: String] = [:]
        var linesUsed = Set<Int>()
        for field in fields {
            guard field.keys.count == 1, let key = field.keys.first else {
                throw LockfileError("yarn.lock line \(field.line): several keys for one field inside \(block.keys[0])")
            }
            guard linesUsed.insert(field.line).inserted else {
                throw LockfileError("yarn.lock line \(field.line): several fields on one line inside \(block.keys[0])")
            }
            guard out[key] == nil else { throw LockfileError("yarn.lock line \(field.line): \(key) is given twice for \(block.keys[0]) (Yarn keeps the last)") }
            switch field.value {
            case .string(let value): out[key] = value
            case .literal(let value): out[key] = value
            case .object: continue
            }
        }
        return out
    }

    /// A block's `dependencies` and `optionalDependencies` specs that are not registry specs:
    /// Yarn resolves each pattern (`file:` and `link:` without the lockfile at all).
    static func nestedSpecs(_ fields: [YarnClassicDocument.Pair], block: YarnClassicDocument.Pair) -> [LockedPackage] {
        var items: [LockedPackage] = []
        for field in fields where ["dependencies", "optionalDependencies"].contains(field.keys.first ?? "") {
            guard case .object(let specs) = field.value else { continue }
            for spec in specs {
                guard let name = spec.keys.first, let text = spec.value.text, let reason = DeclaredSpecs.nonRegistryReason(text) else { continue }
                items.append(LockedPackage(key: "\(block.keys[0]) → \(name)", name: name, version: text,
                                           kind: .notVerifiable("\(block.keys[0]) declares it as \(text): Yarn installs it from there, not from a lockfile entry (\(reason))"),
                                           line: spec.line))
            }
        }
        return items
    }

    func entry(_ keys: [String], fields: [String: String], line: Int, overrides: [String: String]) throws -> LockedPackage {
        let first = keys[0]
        guard let (name, range) = EntryClassifier.splitDescriptor(first) else {
            throw LockfileError("yarn.lock line \(line): \(first) is not name@range")
        }
        let installed = try EntryClassifier.validName(name, entry: first)
        for other in keys.dropFirst() where EntryClassifier.splitDescriptor(other)?.name != name {
            throw LockfileError("yarn.lock line \(line): one block serves \(first) and \(other), which name different packages")
        }
        // One block serves every descriptor with the same bytes: a plain `rt@^1` beside an alias
        // `rt@npm:other@^1` would install other's code as rt (found by review).
        if let mixed = keys.first(where: { Self.realName(of: $0) != Self.realName(of: first) }) {
            throw LockfileError("yarn.lock line \(line): one block serves \(first) and \(mixed), which are not the same package (an npm: alias and another): Yarn would install one's code as the other")
        }
        var package = LockedPackage(key: keys.joined(separator: ", "), name: installed, version: fields["version"] ?? "",
                                    resolved: fields["resolved"], integrity: fields["integrity"], line: line)
        try EntryClassifier.refuseVersionOutsideRanges(keys, version: package.version, file: "yarn.lock line \(line)",
                                                       overrides: overrides)
        // Whatever the range says, the bytes come from `resolved`: it must be an http(s) download
        // that is not a git repository, or the entry is not a registry package.
        // A plain tarball URL off npm's `/-/` layout (GitHub Packages) that only ranges reach is
        // judged as the registry's version: `resolved` must be where the registry serves it.
        let onlyRanges = keys.allSatisfy { EntryClassifier.splitDescriptor($0).map { AliasEdges.isRegistrySpec($0.rest, name: $0.name) } ?? false }
        let resolvedReason = package.resolved.flatMap { resolved in
            onlyRanges && NpmSource.isOffRegistryTarball(resolved) ? nil : NpmSource.nonRegistryReason(resolved)
                ?? (NpmLockParser.isAbsoluteURL(resolved) ? nil : "resolved is not an http(s) URL (\(resolved))")
        }
        if let resolvedReason { try EntryClassifier.refuseDisguisedSource(keys, reason: resolvedReason, file: "yarn.lock line \(line)", project: project) }
        // Every descriptor the block serves is a way in: one git or file pattern makes it Yarn's git or file package.
        if let other = keys.dropFirst().lazy.compactMap({ EntryClassifier.splitDescriptor($0) }).first(where: { DeclaredSpecs.nonRegistryReason($0.rest) != nil }) {
            package.kind = .notVerifiable("the block also serves \(other.name)@\(other.rest), which is not a registry spec")
            return package
        }
        if let resolvedReason {
            package.kind = .notVerifiable(resolvedReason)
        } else if range.hasBytePrefix("npm:") {
            let target = String(range.dropFirst(4))
            let real = try EntryClassifier.validName(EntryClassifier.splitDescriptor(target)?.name ?? target, entry: first)
            if package.version.isEmpty {
                package.kind = .notVerifiable("no version recorded")
            } else if real != installed {
                package.alias(installedAs: installed, real: real, version: package.version)
            }
        } else if let reason = NpmSource.nonRegistryReason(range) {
            package.kind = .notVerifiable(reason)
        } else if package.version.isEmpty {
            package.kind = .notVerifiable("no version recorded")
        }
        if case .registry = package.kind { try Self.refuseFieldsYarnFollows(fields, real: package.name, line: line) }
        return package
    }

    /// Fields Yarn 1 reads from a block beyond version, resolved and integrity (found by review):
    /// `name` names the package (and its folder), `uid` its cache key, `registry` which registry's
    /// settings fetch it; each must say what the block already says, or be absent.
    static func refuseFieldsYarnFollows(_ fields: [String: String], real: String, line: Int) throws {
        let expected: [(String, String?)] = [("name", real), ("uid", fields["version"]), ("registry", "npm")]
        for (field, wanted) in expected {
            guard let value = fields[field], value != wanted else { continue }
            throw LockfileError("yarn.lock line \(line): the block's \(field) is \(value), where \(wanted.map { "only \($0)" } ?? "nothing") is what it verifies as: Yarn would follow it")
        }
    }

    /// The package a descriptor's bytes are: the aliased one for `name@npm:real@range`, else `name`.
    static func realName(of descriptor: String) -> String? {
        guard let (name, range) = EntryClassifier.splitDescriptor(descriptor) else { return nil }
        guard range.lowercased().hasBytePrefix("npm:") else { return name }
        let target = String(range.dropFirst(4))
        return EntryClassifier.splitDescriptor(target)?.name ?? target
    }
}
