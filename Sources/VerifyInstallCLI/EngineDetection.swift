import ChildProcess
import FoundationEssentials
import Glibc
import Semver
import SafeJSON
import Synchronization

/// The node and npm on `PATH`, whose versions npm-pick-manifest prefers `engines` for: `node
/// --version` (one short child process), and the `version` in the package.json of the npm
/// package that `npm` links to. Either is unknown when absent or unreadable, and `engines`
/// then plays no part for it. `--node-version` and `--npm-version` name them instead.
enum EngineDetection {
    static func versions(node: String?, npm: String?, environment: [String: String]) async -> EngineVersions {
        let path = environment["PATH"] ?? ""
        let nodeVersion: String? = if let node { node } else { await Self.nodeVersion(path: path, environment: environment) }
        return EngineVersions(node: nodeVersion, npm: npm ?? Self.npmVersion(path: path))
    }

    /// `node --version` of the first `node` on `path`, when it prints a version.
    static func nodeVersion(path: String, environment: [String: String]) async -> String? {
        guard let node = executable("node", path: path) else { return nil }
        let output = Mutex([UInt8]())
        guard let result = try? await ChildProcess.run(node, ["--version"], environment: environment, output: .pipe { event in
            if case .data(let bytes) = event { output.withLock { if $0.count < 256 { $0 += bytes } } }
        }, error: .null), result.status == 0 else { return nil }
        let text = String(decoding: output.withLock { $0 }, as: UTF8.self).trimmingWhitespaceAndNewlines()
        return SemanticVersion(text) == nil ? nil : text
    }

    /// The version of the npm package the first `npm` on `path` belongs to (`bin/npm-cli.js`
    /// under it, through the link npm installs).
    static func npmVersion(path: String) -> String? {
        guard let npm = executable("npm", path: path), let resolved = realpath(npm, nil) else { return nil }
        defer { free(resolved) }
        let package = URL(fileURLWithPath: String(cString: resolved)).deletingLastPathComponent().deletingLastPathComponent()
        guard let data = try? Data(contentsOf: package.appendingPathComponent("package.json")),
              let json = try? JSONValue.parse(data), json["name"]?.stringValue == "npm",
              let version = json["version"]?.stringValue, SemanticVersion(version) != nil else { return nil }
        return version
    }

    /// The first executable file `name` in the `:`-separated `path`, in absolute folders only: an
    /// empty or relative entry (`.`) would run a `node` the project being installed put there.
    static func executable(_ name: String, path: String) -> String? {
        for folder in path.split(separator: ":") where folder.hasBytePrefix("/") {
            let candidate = "\(folder)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
