import FixtureTesting
import Foundation

/// Where the suite finds the table, the fixtures and the built `verify-install`.
enum ScenarioPaths {
    static let scenarios = Repository.registry.appendingPathComponent("scenarios")
    static let readme = scenarios.appendingPathComponent("README.md")

    static func fixture(_ name: String) -> URL { Repository.consumerFixture(name) }

    /// The built `verify-install` of this build (fails clearly when it is not built).
    static var verifyInstall: URL {
        get throws { try Products.executable("verify-install") }
    }
}
