import SafeJSON
import Semver

extension PnpmLockParser {
    /// pnpm links an importer's dependency to the package its `version` names: `rt: {specifier:
    /// ^1.0.0, version: '@m/example@1.1.0'}` installs `@m/example` as `rt`, and a frozen install
    /// compares only the specifier with package.json. So a dependency resolved to another package
    /// must be declared `npm:<that package>@…` (found by review, as in package-lock.json). Only the
    /// importers record the declared specifier; a package's own dependencies do not (see the note).
    static func checkImporterAliases(_ tree: YamlTree, overrides: [String: String] = [:]) throws {
        var importers = tree["importers"]?.entries.map { ("importer \($0.key)", $0.key, $0.value) } ?? []
        importers.append(("the project", ".", tree))  // v6 single-project lockfiles keep them at the top
        let projects = Set(importers.map { EntryClassifier.normalizedFolder($0.1) })
        for (who, path, importer) in importers {
            for field in ["dependencies", "devDependencies", "optionalDependencies"] {
                for (name, value, line) in importer[field]?.entries ?? [] {
                    guard var version = value["version"]?.string else { continue }
                    if version.hasBytePrefix("/") { version = version.droppingBytePrefix("/") }  // v6 writes `/name@version`
                    if let paren = version.firstIndex(of: "(") { version = String(version[..<paren]) }
                    // A link is a workspace pnpm may link for a range only where it is another importer.
                    let workspace = version.hasBytePrefix("link:") && projects.contains(EntryClassifier.normalizedFolder(path + "/" + version.droppingBytePrefix("link:")))
                    try checkImporterSource(who, name, value["specifier"]?.string, version: workspace ? "0.0.0" : version, catalogs: tree["catalogs"], line: line)
                    // pnpm links the importer's `version` whatever its specifier says (found by review):
                    // it must meet that range, or the project's override of the package.
                    if let specifier = value["specifier"]?.string, !specifier.hasBytePrefix("catalog:"), !workspace,
                       !LockedRange.meets(version, overrides[name] ?? specifier) {
                        throw LockfileError("pnpm-lock.yaml line \(line): \(who) asks for \(name)@\(overrides[name] ?? specifier) but locks it at \(version): pnpm would install that version anyway")
                    }
                    guard let (real, _) = EntryClassifier.splitDescriptor(version), !real.isEmpty,
                          !real.utf8.elementsEqual(name.utf8) else { continue }
                    let specifier = value["specifier"]?.string ?? "nothing"
                    guard AliasEdges.isAlias(specifier, of: real) else {
                        throw LockfileError("pnpm-lock.yaml line \(line): \(who) resolves \(name) to \(version), but declares it as \(specifier), not as an npm:\(real) alias: pnpm checks only the specifier, so it would install \(real)'s code as \(name)")
                    }
                }
            }
        }
    }

    /// pnpm follows an importer's `version` to its package whatever the specifier says: a registry
    /// specifier (a catalog's too) locked to a git, tarball or folder package would install that
    /// source's code unverified (found by review), and so would a link to a folder that is no importer.
    static func checkImporterSource(_ who: String, _ name: String, _ specifier: String?, version: String,
                                    catalogs: YamlTree?, line: Int) throws {
        guard var specifier else { return }
        if specifier.hasBytePrefix("catalog:") {
            // A catalog the lockfile does not record is what pnpm-workspace.yaml says, which pnpm
            // does not compare with a missing section: taken as a registry range (found by a re-attack).
            let catalog = specifier.droppingBytePrefix("catalog:")
            specifier = catalogs?[catalog.isEmpty ? "default" : catalog]?[name]?["specifier"]?.string ?? "*"
        }
        let locked = EntryClassifier.splitDescriptor(version).map(\.rest) ?? version
        guard AliasEdges.isRegistrySpec(specifier, name: name), SemanticVersion(locked) == nil else { return }
        throw LockfileError("pnpm-lock.yaml line \(line): \(who) asks for \(name)@\(specifier), a registry package, but locks it to \(version), which is not a registry version: pnpm follows the lockfile, so it would install that code unverified")
    }

    /// What a registry package's own dependencies in the lockfile resolve to a git, tarball or
    /// folder package (v9 `snapshots`, v6 `packages`: `dep: https://…tgz`), keyed by the target's
    /// `packages` key: only the lockfile's word, confirmed against the dependent's registry manifest
    /// (found by review: pnpm follows the reference whatever range the manifest declares).
    static func sourceClaims(_ tree: YamlTree, v6: Bool, keys: Set<String>) -> [String: [LockedPackage.AliasClaim]] {
        var claims: [String: [LockedPackage.AliasClaim]] = [:]
        for (key, value, _) in tree[v6 ? "packages" : "snapshots"]?.entries ?? [] {
            var dependent = v6 && key.hasBytePrefix("/") ? key.droppingBytePrefix("/") : key
            if let paren = dependent.firstIndex(of: "(") { dependent = String(dependent[..<paren]) }
            guard let (name, version) = EntryClassifier.splitDescriptor(dependent), SemanticVersion(version) != nil else { continue }
            for field in ["dependencies", "optionalDependencies"] {
                for (dependency, ref, _) in value[field]?.entries ?? [] {
                    guard var target = ref.string, !target.hasBytePrefix("link:") else { continue }
                    if let paren = target.firstIndex(of: "(") { target = String(target[..<paren]) }
                    let locked = EntryClassifier.splitDescriptor(target.hasBytePrefix("/") ? target.droppingBytePrefix("/") : target)?.rest ?? target
                    guard SemanticVersion(locked) == nil,
                          let targetKey = [target, "\(dependency)@\(target)"].first(where: keys.contains) else { continue }
                    claims[targetKey, default: []].append(.init(dependentName: name, dependentVersion: version, dependency: dependency))
                }
            }
        }
        return claims
    }

    /// What a package's own dependencies in the lockfile resolve to another package (v9
    /// `snapshots`, v6 `packages`: `rt: '@m/example@1.1.0'`) is only the lockfile's word that the
    /// package asks for it as an alias: a claim on the target's entry, confirmed against the
    /// dependent's registry manifest (pnpm follows the lockfile without reading manifests).
    static func aliasClaims(_ tree: YamlTree, v6: Bool) -> [String: [LockedPackage.AliasClaim]] {
        var claims: [String: [LockedPackage.AliasClaim]] = [:]
        for (key, value, _) in tree[v6 ? "packages" : "snapshots"]?.entries ?? [] {
            var dependent = v6 && key.hasBytePrefix("/") ? key.droppingBytePrefix("/") : key
            if let paren = dependent.firstIndex(of: "(") { dependent = String(dependent[..<paren]) }
            guard let (name, version) = EntryClassifier.splitDescriptor(dependent) else { continue }
            for field in ["dependencies", "optionalDependencies"] {
                for (dependency, ref, _) in value[field]?.entries ?? [] {
                    guard var target = ref.string else { continue }
                    if target.hasBytePrefix("/") { target = target.droppingBytePrefix("/") }
                    if let paren = target.firstIndex(of: "(") { target = String(target[..<paren]) }
                    guard let (real, _) = EntryClassifier.splitDescriptor(target), !real.isEmpty, !real.utf8.elementsEqual(dependency.utf8) else { continue }
                    claims[v6 ? "/" + target : target, default: []].append(.init(dependentName: name, dependentVersion: version, dependency: dependency))
                }
            }
        }
        return claims
    }
}
