import SafeJSON
import FoundationEssentials
public import LockfileFormats
import NpmModel
import NpmVerify
public import RegistryClient

/// Verifies every entry of a lockfile against the registry, concurrently, and collects a report.
public struct LockfileVerifier: Sendable {
    let client: RegistryClient
    let settings: VerifySettings

    public init(client: RegistryClient, settings: VerifySettings) {
        self.client = client
        self.settings = settings
    }

    /// The report for `lockfile`, read from `path` (as reports name it).
    public func run(_ lockfile: ParsedLockfile, path: String) async -> VerificationReport {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("verify-lockfile-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let verifier = PackageVerifier(client: client, keys: RegistryKeyStore(client: client, trust: settings.registryKeys),
                                       settings: settings, scratch: scratch, format: lockfile.format)
        let results = Self.markBundled(await confirmClaims(await verifyAll(lockfile.packages, verifier: verifier)))
        return VerificationReport(lockfile: path, format: lockfile.format, formatVersion: lockfile.formatVersion,
                                  registry: client.configuration.registry, results: results)
    }

    /// Every entry installed below a package that brings its own tree (bundled dependencies or an
    /// npm-shrinkwrap.json, by the registry's word) is not verifiable as itself: npm installs those
    /// bytes from that package's tarball, so no verdict on a registry copy describes them. The
    /// lockfile's word is not enough: npm fetches what the tarball lacks from `resolved` (found by
    /// a re-attack: a made-up `inBundle` or `bundleDependencies` hid a `file:` entry), so only an
    /// entry the lockfile gives no `resolved` and no `integrity` is set aside.
    static func markBundled(_ results: [PackageResult]) -> [PackageResult] {
        // The lockfile's word still lists a shrinkwrapped tree (npm follows it), but excuses nothing.
        let parents = results.compactMap { result in
            (result.ownTree ?? result.package.ownTree).map { (key: result.package.key, id: result.package.id, why: $0, registrySays: result.ownTree != nil) }
        }.filter { $0.key.contains("node_modules/") }
        guard !parents.isEmpty else { return results }
        let parentsByKey = Dictionary(parents.filter(\.registrySays).map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        // Each entry's ancestors are looked up, outermost first: comparing every entry with every
        // parent took a minute for 20,000 entries (found by review).
        let marked = results.map { result in
            // npm takes only what the lockfile gives no source for from the tarball: an entry with a
            // `resolved` or `integrity` is fetched from there when the tarball lacks it, and is judged
            // as itself (found by a re-attack: one below a real bundler was downloaded and ran).
            guard result.package.resolved == nil, result.package.integrity == nil else { return result }
            let key = Array(result.package.key.utf8), separator = Array("/node_modules/".utf8)
            let ancestors = key.indices.lazy.filter { key[$0...].starts(with: separator) }.map { String(decoding: key[..<$0], as: UTF8.self) }
            guard let parent = ancestors.lazy.compactMap({ parentsByKey[$0] }).first else { return result }
            var package = result.package
            package.kind = .notVerifiable("installed inside \(parent.key) (\(parent.id)), whose tarball brings it: \(parent.why); npm takes these bytes from that tarball, not from the registry")
            var marked = PackageResult(package: package)
            marked.notes = result.notes
            return marked
        }
        // A bundle is inside the tarball's integrity; a shrinkwrap only names sources (git, URLs),
        // and npm installs the tree below from it whether or not this lockfile lists that tree
        // (found by a re-attack): the tree itself is an entry the gate cannot verify.
        let shrinkwraps = parents.filter { $0.why.contains("npm-shrinkwrap.json") }.map { parent in
            PackageResult(package: LockedPackage(key: "\(parent.key)/npm-shrinkwrap.json", name: parent.id, version: "",
                                                 kind: .notVerifiable("\(parent.id) carries its own npm-shrinkwrap.json: npm installs the tree below it from that file, which verify-lockfile does not read")))
        }
        return marked + shrinkwraps
    }

    /// Each alias, and each git, tarball or folder source, that a registry package's lockfile
    /// entry says it asks for must be what that package's registry manifest declares: the lockfile
    /// is anyone's to write (found by review: an entry's own `dependencies` declared the alias on
    /// the dependent's behalf, and npm installed another package's code under the name the
    /// dependent asks for with a plain range; pnpm followed a snapshot to a tarball likewise).
    func confirmClaims(_ results: [PackageResult]) async -> [PackageResult] {
        var out = results
        for index in out.indices {
            let package = out[index].package
            for claim in package.aliasClaims {
                let declared = await declaredSpec(claim)
                guard !LockedPackage.AliasClaim.confirms(declared, real: package.name) else { continue }
                out[index].failures.append(Failure(.aliasUnconfirmed, "\(package.key) holds \(package.id), installed as \(claim.dependency) because the lockfile says \(claim.dependentName)@\(claim.dependentVersion) asks for \(claim.dependency) as an npm:\(package.name) alias; its registry manifest declares \(claim.dependency) as \(declared ?? "nothing (or the registry could not say)"), so the package manager would give it \(package.name)'s code"))
            }
            for claim in package.sourceClaims {
                let declared = await declaredSpec(claim)
                guard !LockedPackage.AliasClaim.confirmsSource(declared, dependency: claim.dependency) else { continue }
                out[index].failures.append(Failure(.sourceUnconfirmed, "\(package.key) is not a registry package, but the lockfile links it as \(claim.dependency) of \(claim.dependentName)@\(claim.dependentVersion), whose registry manifest declares \(claim.dependency) as \(declared ?? "nothing (or the registry could not say)"): the package manager follows the lockfile, so it would install that code unverified"))
            }
        }
        return out
    }

    /// What the dependent's registry manifest declares for the claimed dependency; nil when it
    /// declares nothing or the registry cannot say.
    func declaredSpec(_ claim: LockedPackage.AliasClaim) async -> String? {
        guard let name = try? PackageName(claim.dependentName),
              let manifest = try? await client.fullPackument(name).versions[claim.dependentVersion] else { return nil }
        return manifest.dependencies[claim.dependency] ?? manifest.optionalDependencies[claim.dependency] ?? manifest.peerDependencies[claim.dependency]
    }

    /// At most `settings.concurrency` at once; results keep the lockfile's order.
    func verifyAll(_ packages: [LockedPackage], verifier: PackageVerifier) async -> [PackageResult] {
        await withTaskGroup(of: (Int, PackageResult).self) { group in
            var results = [PackageResult?](repeating: nil, count: packages.count)
            var next = 0
            func startNext() {
                guard next < packages.count else { return }
                let index = next, package = packages[index]
                group.addTask { (index, await verifier.verify(package)) }
                next += 1
            }
            for _ in 0..<max(1, min(settings.concurrency, packages.count)) { startNext() }
            while let (index, result) = await group.next() {
                results[index] = result
                startNext()
            }
            return results.compactMap { $0 }
        }
    }
}

/// The outcome of one run.
public struct VerificationReport: Sendable {
    public let lockfile: String
    public let format: LockfileFormat
    public let formatVersion: String
    public let registry: String
    public let results: [PackageResult]
    /// `--fail-on-unverifiable`: an entry that is not a registry package fails the run (exit 1)
    /// instead of being listed only, for projects that allow no git, file or link dependencies.
    public var unverifiableFails = false

    public var failed: [PackageResult] { results.filter { $0.status == .failed } }
    public var notVerifiable: [PackageResult] { results.filter { $0.status == .notVerifiable } }
    public var excepted: [PackageResult] { results.filter { $0.status == .excepted } }
    public var verified: [PackageResult] { results.filter { $0.status == .verified } }
    /// Yarn Berry entries: the registry's package verified, but the lockfile's `checksum` (of
    /// Yarn's zip, which is what Yarn installs and checks) was not compared, so the lockfile's
    /// binding to bytes is unverified; `--fail-on-unverifiable` counts them.
    public var uncomparedChecksums: [PackageResult] { results.filter { $0.package.berryChecksum != nil && $0.status != .notVerifiable } }

    /// 0 all verified, 1 a verification failure (or, with `unverifiableFails`, an entry that is
    /// not verifiable or a checksum not compared), 2 only a missing trusted root (configuration, as
    /// install reports it; found by review), 3 only registry or network errors.
    public var exitCode: Int32 {
        let failures = failed
        if unverifiableFails, !notVerifiable.isEmpty || !uncomparedChecksums.isEmpty { return 1 }
        if failures.isEmpty { return 0 }
        if failures.allSatisfy(\.onlyMissingConfiguration) { return 2 }
        return failures.allSatisfy(\.onlyRegistryErrors) ? 3 : 1
    }
}
