import LockfileFormats
@testable import LockfileVerify
import Testing

/// npm installs what a bundling package's tarball carries, whatever the lockfile says about the
/// entries below it (found by an attack: a bundled copy of other code was reported as the
/// verified registry package of the same name).
@Suite struct BundledEntryTests {
    func result(_ key: String, registrySays: String? = nil, lockfileSays: String? = nil) -> PackageResult {
        let name = String(key.split(separator: "/").last ?? "")
        var package = LockedPackage(key: key, name: name, version: "1.0.0")
        package.ownTree = lockfileSays
        var result = PackageResult(package: package)
        result.ownTree = registrySays
        return result
    }

    @Test func everyEntryBelowABundlingPackageIsNotVerifiableAsItself() {
        let results = LockfileVerifier.markBundled([
            result("node_modules/bparent", registrySays: "its registry version bundles dependencies"),
            result("node_modules/bparent/node_modules/bchild"),
            result("node_modules/bparent/node_modules/bchild/node_modules/deep"),
            result("node_modules/bchild"),
            result("node_modules/bparentx/node_modules/bchild"),
        ])
        #expect(results.map(\.status) == [.verified, .notVerifiable, .notVerifiable, .verified, .verified])
        guard case .notVerifiable(let why) = results[1].package.kind else { return }
        #expect(why.contains("inside node_modules/bparent (bparent@1.0.0), whose tarball brings it: its registry version bundles dependencies"), "\(why)")
    }

    /// Found by a re-attack: npm follows the lockfile's own hasShrinkwrap, which the registry's
    /// metadata need not mention, so the tree is listed; but the lockfile's word excuses nothing
    /// below it (a later re-attack: npm fetches what the tarball lacks from `resolved`).
    @Test func theLockfilesWordListsAShrinkwrapButExcusesNothing() {
        let results = LockfileVerifier.markBundled([
            result("node_modules/p", lockfileSays: "it has its own npm-shrinkwrap.json (hasShrinkwrap)"),
            result("node_modules/p/node_modules/q"),
            result("node_modules/q"),
            result("node_modules/b", lockfileSays: "it bundles dependencies (bundleDependencies)"),
            result("node_modules/b/node_modules/c"),
        ])
        #expect(results.map(\.status) == [.verified, .verified, .verified, .verified, .verified, .notVerifiable])
        #expect(results.last?.package.key == "node_modules/p/npm-shrinkwrap.json")
    }

    /// Found by a re-attack: a shrinkwrap names sources (git, URLs) for a tree the lockfile need not
    /// list at all, so the tree itself is listed, by the lockfile's word or the registry's.
    @Test func aShrinkwrapWithNothingListedBelowItIsStillNotVerifiable() {
        for shrinkwrap in [result("node_modules/c", lockfileSays: "it has its own npm-shrinkwrap.json (hasShrinkwrap)"),
                           result("node_modules/c", registrySays: "its registry version has its own npm-shrinkwrap.json")] {
            let results = LockfileVerifier.markBundled([shrinkwrap, result("node_modules/r")])
            #expect(results.map(\.status) == [.verified, .verified, .notVerifiable])
        }
        let bundling = LockfileVerifier.markBundled([result("node_modules/b", registrySays: "its registry version bundles dependencies")])
        #expect(bundling.map(\.status) == [.verified], "a bundle is inside the tarball's integrity")
    }

    /// Found by a re-attack: npm downloads an entry below a real bundler from its `resolved` when the
    /// tarball lacks it, so one the lockfile gives a source is judged as itself.
    @Test func anEntryWithASourceBelowABundlerIsJudgedAsItself() {
        var sourced = result("node_modules/bundler/node_modules/right")
        sourced = PackageResult(package: LockedPackage(key: sourced.package.key, name: "right", version: "1.0.0",
                                                       resolved: "http://r.example/evil/-/evil-1.0.0.tgz", integrity: "sha512-x"))
        let results = LockfileVerifier.markBundled([
            result("node_modules/bundler", registrySays: "its registry version bundles dependencies"),
            result("node_modules/bundler/node_modules/left"),
            sourced,
        ])
        #expect(results.map(\.status) == [.verified, .notVerifiable, .verified])
    }

    @Test func withoutBundlesNothingChanges() {
        let results = LockfileVerifier.markBundled([result("node_modules/a"), result("node_modules/a/node_modules/b")])
        #expect(results.map(\.status) == [.verified, .verified])
    }
}
