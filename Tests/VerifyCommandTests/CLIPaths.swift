import FixtureTesting
import Foundation

/// The repository, the shared vectors beside it, and the built `verify-install`.
enum CLIPaths {
    static func vector(_ relative: String) -> URL { Repository.vector(relative) }

    /// The production root for the conformance vectors' default-root cases.
    static let productionRoot = vector("public-good/trusted_root.sigstore-python-embedded.json")
    /// The root decoded from npm's TUF seeds, under which the npm vectors were checked.
    static let publicGoodRoot = vector("public-good/trusted_root.json")
    static let publicGoodKeys = vector("public-good/registry.npmjs.org-keys.json")

    /// The built `verify-install` of this build (fails clearly when it is not built).
    static var verifyInstall: URL {
        get throws { try Products.executable("verify-install") }
    }
}
