import FoundationEssentials
import Integrity
import NpmModel
import RegistryClient
import Tarball

/// A package with a fixed install path, whose bytes are being fetched, verified and unpacked.
struct PlannedPackage: Sendable {
    let index: Int
    let location: String
    let target: TarballTarget
    var dev = false
    var optional = false
    /// npm's raw `devOptional` flag: set with `dev` or `optional`, or when only dev and optional
    /// paths together lead here.
    var devOptional = false
    var peer = false
    var lockEntry: Lockfile.Entry
    /// The registry's signed and attestation claims about this version, checked before the tarball is used.
    var evidence: RegistryEvidence?
    /// The registry's manifest of this version (its bundled dependencies; in `ci`, the lockfile's structure).
    var manifest: Manifest?
    /// Every other integrity claim (the registry's, the lockfile's) the fetched bytes must confirm.
    var claims: [IntegrityClaim] = []
    /// Why an optional package (or one only it needs) is recorded in the lockfile, fetched and
    /// verified like any other (the lockfile's word about it must be bound to its bytes: found by
    /// review, a recorded-only entry took the packument's integrity, bins and provenance on trust),
    /// but not placed here: its platform or engines. nil for every package that is placed.
    var leftOutBecause: String?

    /// Whether npm leaves this package off disk under `scope`'s `--omit`.
    func isOmitted(by scope: InstallScope) -> Bool {
        scope.omits(dev: dev, optional: optional, devOptional: devOptional, peer: peer)
    }

    /// Every integrity the bytes must hash to: the target's, the claims, the signed string's and
    /// the one attestation subjects were compared with. Each names who made it.
    var allClaims: [IntegrityClaim] { claims + (evidence?.claims ?? []) }

    init(index: Int, location: String, target: TarballTarget, lockEntry: Lockfile.Entry) {
        self.index = index
        self.location = location
        self.target = target
        self.lockEntry = lockEntry
    }

    /// The plan for a node the resolver placed: the target parsed strictly from the registry's
    /// manifest, the lockfile entry npm writes, and the registry's evidence.
    init(_ node: TreeNode, index: Int) throws {
        let manifest = node.manifest!
        var entry = Lockfile.Entry(version: manifest.version, resolved: manifest.dist.tarball, integrity: nil)
        let target = try TarballSource.target(for: manifest)
        entry.integrity = target.integrity.description
        entry.license = manifest.license
        entry.dependencies = manifest.dependencies
        entry.optionalDependencies = manifest.optionalDependencies
        entry.peerDependencies = manifest.peerDependencies
        entry.optionalPeers = manifest.optionalPeers
        entry.bundleDependencies = manifest.bundledDependencies.sorted()
        entry.bin = manifest.bin
        entry.engines = manifest.engines
        entry.nonStringEngines = manifest.nonStringEngines
        entry.hasInstallScript = manifest.hasInstallScript
        (entry.os, entry.cpu, entry.libc) = PlatformCheck.fields(manifest)
        self.init(index: index, location: node.location, target: target, lockEntry: entry)
        evidence = RegistryEvidence(manifest)
        self.manifest = manifest
        leftOutBecause = node.platformMismatch
    }
}

/// Somebody's statement of what a package's bytes hash to.
struct IntegrityClaim: Sendable {
    let integrity: SubresourceIntegrity
    /// Who said it: `dist.integrity of <url>`, `package-lock.json`.
    let source: String

    init(_ integrity: SubresourceIntegrity, _ source: String) {
        self.integrity = integrity
        self.source = source
    }
}
