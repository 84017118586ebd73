import FixtureTesting
import Foundation
import Harness
import FixtureTUF

/// The real npm CLI pointed at a fixture world, offline: its own HOME (holding `.npmrc`), cache
/// (seeded with the world's TUF root for `npm audit signatures`), and `XDG_DATA_HOME` (seeded the
/// same way for sigstore-js's default TUF cache, which `npm publish --provenance-file` verifies
/// the bundle with), the world's CONNECT proxy and CA; all inside `folder`.
struct NpmWitnessSession {
    let npm: URL
    let home: URL
    let environment: [String: String]
    let registryURL: String

    init(world: FixtureWorld, folder: URL) throws {
        guard let npm = ProcessRunner.which("npm") else { throw GateFailure("the real npm CLI is not on PATH") }
        self.npm = npm
        home = folder.appendingPathComponent("home")
        let data = folder.appendingPathComponent("xdg-data")
        let sigstoreTUF = data.appendingPathComponent("sigstore-js/tuf-repo-cdn.sigstore.dev")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: sigstoreTUF, withIntermediateDirectories: true)
        try world.tuf.repository.root.write(to: sigstoreTUF.appendingPathComponent("root.json"))
        var environment = try world.npmEnvironment(cache: folder.appendingPathComponent("npm-cache"))
        environment["HOME"] = home.path
        environment["XDG_DATA_HOME"] = data.path
        self.environment = environment
        registryURL = world.registryURL
    }

    /// Writes `~/.npmrc` with `token` for the world's registry (npm's `//host:port/:_authToken=` form).
    func authenticate(token: String) throws {
        let nerfDart = registryURL.replacingOccurrences(of: "http:", with: "")
        try "\(nerfDart):_authToken=\(token)\n".write(to: home.appendingPathComponent(".npmrc"), atomically: true, encoding: .utf8)
    }

    /// Runs `npm <arguments>` in `directory`.
    func run(_ arguments: [String], in directory: URL) async throws -> ProcessResult {
        try await ProcessRunner.run(npm, arguments, in: directory, environment: environment)
    }

    /// `npm pack` of `package` into `destination`; returns the tarball's file and bytes.
    func pack(_ package: URL, into destination: URL) async throws -> (file: URL, bytes: Data) {
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
        let result = try await run(["pack", "--pack-destination", destination.path], in: package)
        guard result.status == 0, let name = result.stdout.split(separator: "\n").last.map(String.init), name.hasSuffix(".tgz") else {
            throw GateFailure("npm pack in \(package.path) exited \(result.status): \(result.stdout)\(result.stderr)")
        }
        let file = destination.appendingPathComponent(name)
        return (file, try Data(contentsOf: file))
    }

    /// Writes a package folder: package.json naming `repository` and an `index.js` exporting `text`.
    static func writePackage(at folder: URL, name: String, version: String, repository: String, text: String) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let manifest = """
            {
              "name": "\(name)",
              "version": "\(version)",
              "description": "A package the real npm publishes with --provenance-file",
              "main": "index.js",
              "license": "MIT",
              "repository": { "type": "git", "url": "\(repository)" }
            }

            """
        try manifest.write(to: folder.appendingPathComponent("package.json"), atomically: true, encoding: .utf8)
        try "module.exports = \(String(reflecting: text));\n".write(to: folder.appendingPathComponent("index.js"), atomically: true, encoding: .utf8)
    }
}
