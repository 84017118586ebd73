import FixtureTesting
import Foundation

/// The repository's files the publish tests read, and the built `mochi-pkg`.
enum TestPaths {
    static let workflowTemplate = Repository.root.appendingPathComponent(".github/workflows/templates/mochi-publish-npm.yml")
    static let examplePackage = Repository.seedPackages.appendingPathComponent("@mochi/example")

    /// The built `mochi-pkg` of this build (fails clearly when it is not built).
    static var mochiPkg: URL {
        get throws { try Products.executable("mochi-pkg") }
    }
}
