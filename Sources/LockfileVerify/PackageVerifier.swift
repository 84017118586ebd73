import FoundationEssentials
import Integrity
import LockfileFormats
import NpmModel
import NpmVerify
import RegistryClient
import SafeJSON
import Semver

/// Verifies one registry entry of a lockfile against the registry, without installing it.
struct PackageVerifier: Sendable {
    let client: RegistryClient
    let keys: RegistryKeyStore
    let settings: VerifySettings
    let scratch: URL
    /// The lockfile's format: how its `resolved` is read.
    let format: LockfileFormat

    func verify(_ package: LockedPackage) async -> PackageResult {
        var result = PackageResult(package: package)
        guard case .registry = package.kind else { return result }
        if let alias = package.installedAs {
            result.notes.append("installed as \(alias) (an npm alias): verified as the package its bytes are, \(package.id)")
        }
        do {
            try await check(package, into: &result)
        } catch let error as RegistryError where error.code == .notFound {
            result.failures.append(Failure(.versionNotFound, "\(package.id): \(error.message)"))
        } catch let error as RegistryError where error.code == .malformed {
            result.failures.append(Failure(.versionNotFound, "\(package.id): \(error.message)"))
        } catch {
            result.failures.append(Failure(.registryError, "\(package.id): \(error)"))
        }
        applyException(to: &result)
        return result
    }

    private func check(_ package: LockedPackage, into result: inout PackageResult) async throws {
        let name = try PackageName(package.name)
        let registry = client.configuration.registry(for: name)
        if registry != client.configuration.registry { result.otherRegistry = registry }
        let packument = try await client.fullPackument(name)
        guard let manifest = packument.versions[package.version] else {
            result.failures.append(Failure(.versionNotFound, "\(package.id): the registry \(client.configuration.registry(for: name)) has no version \(package.version) of \(package.name)"))
            return
        }
        if !manifest.bundledDependencies.isEmpty {
            result.ownTree = "its registry version bundles dependencies"
        } else if manifest.hasShrinkwrap {
            result.ownTree = "its registry version has its own npm-shrinkwrap.json"
        }
        if let declared = package.declared, let why = declared.difference(from: .init(
            [manifest.dependencies, manifest.optionalDependencies] + (declared.includesPeers ? [manifest.peerDependencies] : []), includesPeers: declared.includesPeers)) {
            // The package manager builds the tree from the lockfile's edges (found by review: a
            // deleted edge hid the plain edge that made another package's code pass under an alias).
            result.failures.append(Failure(.dependenciesDiffer, "\(package.id): \(why)"))
        }
        if let folder = package.binDirectory, NpmBins.normalisedFolder(folder) != manifest.binDirectory.map(NpmBins.normalisedFolder) {
            result.failures.append(Failure(.binsDiffer, "\(package.id): the lockfile links every file of \(folder) as a bin, where its registry manifest's directories.bin is \(manifest.binDirectory ?? "absent")"))
        }
        if let locked = package.lockedDependencies,
           let why = Self.lockedDependencyProblem(locked, manifest: manifest, overrides: package.dependencyOverrides, namesMayBeExtended: package.namesMayBeExtended) {
            // pnpm and Berry build each package's dependencies from the lockfile alone (found by
            // review: an extra registry package, or a dependency pinned below its range, passed).
            result.failures.append(Failure(.dependenciesDiffer, "\(package.id): \(why)"))
        }
        if let bins = package.bins, let why = Self.binDifference(locked: bins, registry: manifest.bin) {
            // npm ci links the lockfile's bins (found by review: a bin name of another package's
            // tool, pointed at any file of this one, ran it in that tool's place).
            result.failures.append(Failure(.binsDiffer, "\(package.id): \(why)"))
        }
        if let resolved = package.resolved, let why = ResolvedLocation.mismatch(resolved: resolved, tarball: manifest.dist.tarball, format: format,
                                                                                    registry: registry, defaultRegistry: client.configuration.registry) {
            result.failures.append(Failure(.resolvedElsewhere, "\(package.id): \(why)"))
        }
        guard let registryIntegrity = try registryIntegrity(manifest, into: &result) else { return }
        try await compareIntegrity(package, manifest: manifest, registry: registryIntegrity, into: &result)
        let registryKeys = try await checkSignature(name, manifest: manifest, publishTime: packument.time[package.version], into: &result)
        try await checkProvenance(name, manifest: manifest, packument: packument, keys: registryKeys ?? [], into: &result)
    }

    /// Why the dependencies the lockfile links for a package are not ones its registry manifest
    /// declares (any field), or lock a version outside the manifest's range; nil when they are.
    static func lockedDependencyProblem(_ locked: [String: [String]], manifest: Manifest, overrides: [String: String] = [:],
                                        namesMayBeExtended: Bool = false) -> String? {
        for name in locked.keys.sorted() {
            let references = locked[name] ?? []
            guard let declared = manifest.dependencies[name] ?? manifest.optionalDependencies[name] else {
                // A peer may be linked at any version (pnpm warns about an unmet one); names the
                // project's package extensions may add are theirs; any other name is extra.
                if manifest.peerDependencies[name] != nil || namesMayBeExtended { continue }
                return "the lockfile links it to \(name) (\(references.joined(separator: ", "))), which its registry manifest does not declare"
            }
            // The project's override replaces the range (found by review: it excused any version).
            let spec = overrides[name] ?? declared
            for text in references {
                // A version (pnpm's `1.2.0(peer@1)`) meets the range; Berry's stored range (`npm:^1.2.0`)
                // is the manifest's own. Aliases, tags and sources are judged elsewhere.
                let reference = text.hasBytePrefix("npm:") ? text.droppingBytePrefix("npm:") : text
                let version = reference.firstIndex(of: "(").map { String(reference[..<$0]) } ?? reference
                if SemanticVersion(version) != nil {
                    if !LockedRange.meets(version, spec) {
                        return "the lockfile links it to \(name)@\(version), outside the range \(spec) \(overrides[name] == nil ? "its registry manifest declares" : "the project's override sets")"
                    }
                } else if text.hasBytePrefix("npm:"), !reference.dropFirst().contains("@"), reference != spec, reference != declared {
                    return "the lockfile links it to \(name)@\(text), where its registry manifest declares \(declared)"
                }
            }
        }
        return nil
    }

    /// Why the lockfile's bins are not the registry manifest's, both as npm normalises them and
    /// compared as bytes; nil when they agree. Fewer bins than the registry's are no harm: npm
    /// links what the lockfile names, and nothing else.
    static func binDifference(locked: [String: String], registry: [String: String]) -> String? {
        let declared = NpmBins.normalised(registry)
        let extra = NpmBins.normalised(locked).filter { name, path in
            !declared.contains { $0.key.utf8.elementsEqual(name.utf8) && $0.value.utf8.elementsEqual(path.utf8) }
        }
        guard !extra.isEmpty else { return nil }
        let listed = { (bins: [String: String]) in bins.isEmpty ? "none" : bins.sorted { $0.key < $1.key }.map { "\($0.key) -> \($0.value)" }.joined(separator: ", ") }
        return "the lockfile links bins \(listed(extra)) that the registry's manifest does not declare (it declares \(listed(declared)))"
    }

    /// `dist.integrity` parsed strictly (else the legacy `shasum`); nil after recording a failure.
    private func registryIntegrity(_ manifest: Manifest, into result: inout PackageResult) throws -> SubresourceIntegrity? {
        let id = "\(manifest.name)@\(manifest.version)"
        do {
            if let integrity = manifest.dist.integrity { return try SubresourceIntegrity(integrity) }
            if let shasum = manifest.dist.shasum { return try SubresourceIntegrity.fromHexSHA1(shasum) }
        } catch {
            result.failures.append(Failure(.integrityRefused, "\(id): the registry's dist.integrity is refused: \(error)"))
            return nil
        }
        result.failures.append(Failure(.integrityMissing, "\(id): the registry gives no integrity for this version"))
        return nil
    }

    /// The lockfile's SRI against the registry's; Yarn Berry entries (a zip checksum) download the tarball instead.
    private func compareIntegrity(_ package: LockedPackage, manifest: Manifest, registry: SubresourceIntegrity,
                                  into result: inout PackageResult) async throws {
        if let locked = package.integrity {
            if let failure = IntegrityAgreement.check(locked: locked, registry: registry, shasum: manifest.dist.shasum, id: package.id) {
                result.failures.append(failure)
            }
            return
        }
        // Berry records no checksum for an entry it installs only on some platforms (`conditions:`);
        // its bytes are checked the same way (found by review: every such entry failed).
        guard package.berryChecksum != nil || format == .yarnBerry else {
            result.failures.append(Failure(.integrityMissing, "\(package.id): the lockfile records no integrity to compare with the registry's"))
            return
        }
        let file = scratch.appendingPathComponent(UUID().uuidString + ".tgz")
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            _ = try await client.tarball(url: manifest.dist.tarball, integrity: registry, subject: package.id, into: file)
            result.notes.append(package.berryChecksum == nil
                ? "yarn.lock records no checksum for it (an entry Yarn installs only on some platforms): downloaded \(manifest.dist.tarball) and verified it against the registry's dist.integrity"
                : "yarn.lock records Yarn's own zip checksum, not npm's integrity: downloaded \(manifest.dist.tarball) and verified it against the registry's dist.integrity; the checksum itself was not compared (Yarn checks its cached zip against it, so review .yarn/cache changes separately)")
        } catch let error as RegistryError {
            throw error
        } catch {
            result.failures.append(Failure(.tarballMismatch, "\(package.id): the tarball does not match the registry's dist.integrity: \(error)"))
        }
    }

    /// `dist.signatures` over `name@version:integrity` with the registry's keys; returns the keys.
    private func checkSignature(_ name: PackageName, manifest: Manifest, publishTime: String?,
                                into result: inout PackageResult) async throws -> [RegistryKey]? {
        let id = "\(manifest.name)@\(manifest.version)"
        if settings.signaturesRequired, !keys.keysComeFromTrust(for: name) {
            let registry = client.configuration.registry(for: name)
            result.failures.append(Failure(.registryKeysUntrusted, RegistryKeyStore.selfVouching(name, registry: registry)))
            return nil
        }
        let registryKeys: [RegistryKey]?
        do { registryKeys = try await keys.keys(for: name) } catch let error as NpmVerifyError {
            result.failures.append(Failure(.signatureInvalid, "\(id): the registry's keys are unusable: \(error)"))
            return nil
        }
        guard let registryKeys, !registryKeys.isEmpty else {
            result.signature = .registryHasNoKeys
            if settings.signaturesRequired {
                result.failures.append(Failure(.registryWithoutKeys, "\(id): its registry \(client.configuration.registry(for: name)) publishes no signing keys, and signatures are required"))
            }
            return nil
        }
        guard let integrity = manifest.dist.integrity, !manifest.dist.signatures.isEmpty else {
            result.signature = .unsigned
            result.failures.append(Failure(.signatureMissing, "\(id) has no registry signature, but its registry publishes keys (\(keys.source(for: name)))"))
            return registryKeys
        }
        do {
            try RegistrySignatureVerifier(keys: registryKeys).verify(name: manifest.name, version: manifest.version, integrity: integrity,
                                                                     signatures: manifest.dist.signatures, publishTime: RegistryDate.publishTime(publishTime))
            result.signature = .verified
            result.keySource = keys.source(for: name)
        } catch {
            result.failures.append(Failure(.signatureInvalid, "\(id): \(error)"))
        }
        return registryKeys
    }

}
