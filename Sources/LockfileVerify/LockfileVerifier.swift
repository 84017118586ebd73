import FoundationEssentials
public import LockfileFormats
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
                                       settings: settings, scratch: scratch)
        let results = Self.markBundled(await verifyAll(lockfile.packages, verifier: verifier))
        return VerificationReport(lockfile: path, format: lockfile.format, formatVersion: lockfile.formatVersion,
                                  registry: client.configuration.registry, results: results)
    }

    /// Every entry installed below a package whose registry version bundles dependencies is not
    /// verifiable as itself: npm may take its bytes from that package's tarball (what the entry says,
    /// `inBundle` included, is the lockfile's word only), so no verdict on the registry copy describes it.
    static func markBundled(_ results: [PackageResult]) -> [PackageResult] {
        let bundlers = results.filter { !$0.bundles.isEmpty && $0.package.key.contains("node_modules/") }
        guard !bundlers.isEmpty else { return results }
        return results.map { result in
            guard let bundler = bundlers.first(where: { result.package.key.hasPrefix($0.package.key + "/node_modules/") }) else {
                return result
            }
            var package = result.package
            package.kind = .notVerifiable("installed inside \(bundler.package.key), whose tarball (\(bundler.package.id)) bundles dependencies: npm may install these bytes from it, not from the registry")
            var marked = PackageResult(package: package)
            marked.notes = result.notes
            return marked
        }
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

    /// 0 all verified, 1 a verification failure (or, with `unverifiableFails`, an entry that is
    /// not verifiable), 3 only registry or network errors.
    public var exitCode: Int32 {
        let failures = failed
        if unverifiableFails, !notVerifiable.isEmpty { return 1 }
        if failures.isEmpty { return 0 }
        return failures.allSatisfy(\.onlyRegistryErrors) ? 3 : 1
    }
}
