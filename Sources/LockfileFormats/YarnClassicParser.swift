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

    func parse(_ text: String) throws -> ParsedLockfile {
        if let marker = text.split(separator: "\n").firstIndex(where: { ["<<<<<<<", "=======", ">>>>>>>"].contains(where: $0.hasPrefix) }) {
            throw LockfileError("yarn.lock line \(marker + 1): a merge-conflict marker (Yarn would merge both sides); resolve the conflict first")
        }
        let document = try YarnClassicDocument.parse(text, maxDepth: min(limits.maxDepth, 8))
        var out: [LockedPackage] = []
        var descriptors = Set<String>()
        for block in document.pairs {
            guard out.count < limits.maxEntries else { throw LockfileError("yarn.lock has more than \(limits.maxEntries) entries") }
            guard case .object(let fields) = block.value else {
                throw LockfileError("yarn.lock line \(block.line): expected `descriptor:` and an indented block")
            }
            for key in block.keys {
                guard descriptors.insert(key).inserted else { throw LockfileError("yarn.lock line \(block.line): \(key) is listed twice (Yarn keeps the last)") }
            }
            out.append(try entry(block.keys, fields: try Self.strings(fields, block: block), line: block.line))
            out += Self.nestedSpecs(fields, block: block)
        }
        return ParsedLockfile(format: .yarnClassic, formatVersion: "1", packages: out)
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

    func entry(_ keys: [String], fields: [String: String], line: Int) throws -> LockedPackage {
        let first = keys[0]
        guard let (name, range) = EntryClassifier.splitDescriptor(first) else {
            throw LockfileError("yarn.lock line \(line): \(first) is not name@range")
        }
        let installed = try EntryClassifier.validName(name, entry: first)
        for other in keys.dropFirst() where EntryClassifier.splitDescriptor(other)?.name != name {
            throw LockfileError("yarn.lock line \(line): one block serves \(first) and \(other), which name different packages")
        }
        var package = LockedPackage(key: keys.joined(separator: ", "), name: installed, version: fields["version"] ?? "",
                                    resolved: fields["resolved"], integrity: fields["integrity"], line: line)
        // Every descriptor the block serves is a way in: one git or file pattern makes it Yarn's git or file package.
        if let other = keys.dropFirst().lazy.compactMap({ EntryClassifier.splitDescriptor($0) }).first(where: { DeclaredSpecs.nonRegistryReason($0.rest) != nil }) {
            package.kind = .notVerifiable("the block also serves \(other.name)@\(other.rest), which is not a registry spec")
            return package
        }
        // Whatever the range says, the bytes come from `resolved`: it must be an http(s) download
        // that is not a git repository, or the entry is not a registry package.
        if let resolved = package.resolved, let reason = EntryClassifier.nonRegistryReason(resolved)
            ?? (NpmLockParser.isAbsoluteURL(resolved) ? nil : "resolved is not an http(s) URL (\(resolved))") {
            package.kind = .notVerifiable(reason)
        } else if range.hasPrefix("npm:") {
            let target = String(range.dropFirst(4))
            let real = try EntryClassifier.validName(EntryClassifier.splitDescriptor(target)?.name ?? target, entry: first)
            if package.version.isEmpty {
                package.kind = .notVerifiable("no version recorded")
            } else if real != installed {
                package.alias(installedAs: installed, real: real, version: package.version)
            }
        } else if let reason = EntryClassifier.nonRegistryReason(range) {
            package.kind = .notVerifiable(reason)
        } else if package.version.isEmpty {
            package.kind = .notVerifiable("no version recorded")
        }
        return package
    }
}
