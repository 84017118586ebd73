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

    /// Found by a re-attack: npm follows the lockfile's own bundleDependencies and hasShrinkwrap,
    /// which the registry's metadata need not mention.
    @Test func theLockfilesWordAboutBundlesAndShrinkwrapsCountsToo() {
        let results = LockfileVerifier.markBundled([
            result("node_modules/p", lockfileSays: "it has its own npm-shrinkwrap.json (hasShrinkwrap)"),
            result("node_modules/p/node_modules/q"),
            result("node_modules/q"),
        ])
        #expect(results.map(\.status) == [.verified, .notVerifiable, .verified])
    }

    @Test func withoutBundlesNothingChanges() {
        let results = LockfileVerifier.markBundled([result("node_modules/a"), result("node_modules/a/node_modules/b")])
        #expect(results.map(\.status) == [.verified, .verified])
    }
}
