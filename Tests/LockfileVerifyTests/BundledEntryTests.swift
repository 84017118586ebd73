import LockfileFormats
@testable import LockfileVerify
import Testing

/// npm installs what a bundling package's tarball carries, whatever the lockfile says about the
/// entries below it (found by an attack: a bundled copy of other code was reported as the
/// verified registry package of the same name).
@Suite struct BundledEntryTests {
    func result(_ key: String, bundles: Set<String> = []) -> PackageResult {
        let name = String(key.split(separator: "/").last ?? "")
        var result = PackageResult(package: LockedPackage(key: key, name: name, version: "1.0.0"))
        result.bundles = bundles
        return result
    }

    @Test func everyEntryBelowABundlingPackageIsNotVerifiableAsItself() {
        let results = LockfileVerifier.markBundled([
            result("node_modules/bparent", bundles: ["bchild"]),
            result("node_modules/bparent/node_modules/bchild"),
            result("node_modules/bparent/node_modules/bchild/node_modules/deep"),
            result("node_modules/bchild"),
            result("node_modules/bparentx/node_modules/bchild"),
        ])
        #expect(results.map(\.status) == [.verified, .notVerifiable, .notVerifiable, .verified, .verified])
        guard case .notVerifiable(let why) = results[1].package.kind else { return }
        #expect(why.contains("inside node_modules/bparent, whose tarball (bparent@1.0.0) bundles dependencies"), "\(why)")
    }

    @Test func withoutBundlesNothingChanges() {
        let results = LockfileVerifier.markBundled([result("node_modules/a"), result("node_modules/a/node_modules/b")])
        #expect(results.map(\.status) == [.verified, .verified])
    }
}
