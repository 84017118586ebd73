import Foundation

/// The repository, the shared vectors beside it, and the built `verify-install`.
enum CLIPaths {
    /// Three levels above this file (`Tests/VerifyCommandTests/CLIPaths.swift`), symlinks resolved.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/vectors` beside the repository (read in place, never copied).
    static let vectors: URL = repositoryRoot.appendingPathComponent("../shared/vectors").standardizedFileURL

    static func vector(_ relative: String) -> URL { vectors.appendingPathComponent(relative) }

    /// The production root for the conformance vectors' default-root cases.
    static let productionRoot = vector("public-good/trusted_root.sigstore-python-embedded.json")
    /// The root decoded from npm's TUF seeds, under which the npm vectors were checked.
    static let publicGoodRoot = vector("public-good/trusted_root.json")
    static let publicGoodKeys = vector("public-good/registry.npmjs.org-keys.json")

    /// `verify-install` beside the test binary (the build folder `swift test` used), else `.build/debug/`.
    static var verifyInstall: URL {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("verify-install")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        return repositoryRoot.appendingPathComponent(".build/debug/verify-install")
    }
}
