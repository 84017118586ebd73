import ChildProcess
import FoundationEssentials
import Glibc
import Semver
import SafeJSON
import DurableFile

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

    /// `node --version` of the first `node` on `path`, when it prints a version within two
    /// seconds: its output goes to a private file (a child it leaves behind holding a pipe
    /// cannot stall the run), and a node that does not exit in time is killed and counts as unknown.
    static func nodeVersion(path: String, environment: [String: String]) async -> String? {
        guard let node = executable("node", path: path) else { return nil }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("verify-install-node-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
        guard (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)) != nil else { return nil }
        defer { try? FileManager.default.removeItem(at: folder) }
        // An interrupt exits without running the defer (found by review: the folder stayed in /tmp).
        Interrupts.onInterrupt { [path = folder.path] in try? FileManager.default.removeItem(atPath: path) }
        let output = folder.appendingPathComponent("version").path
        guard let child = try? ChildProcess.spawn(node, ["--version"], environment: environment, output: .file(output), error: .null) else { return nil }
        // It now runs while the trust root loads, so an interrupt may come first (found by review:
        // a slow `node` outlived the run). `signal` does nothing once the child is reaped.
        Interrupts.onInterrupt { child.signal(SIGKILL) }
        let exited = await withTaskGroup(of: Bool.self) { group in
            group.addTask { _ = await child.wait(); return true }
            group.addTask { try? await Task.sleep(for: .seconds(2)); return false }
            let first = await group.next() ?? false
            if !first { _ = child.signal(SIGKILL) }
            group.cancelAll()
            await group.waitForAll()
            return first
        }
        guard exited, let data = try? DurableFile.read(output, limit: 256) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingWhitespaceAndNewlines()
        return SemanticVersion(text) == nil ? nil : text
    }

    /// The version of the npm package the first `npm` on `path` belongs to (`bin/npm-cli.js`
    /// under it, through the link npm installs).
    static func npmVersion(path: String) -> String? {
        guard let npm = executable("npm", path: path), let resolved = realpath(npm, nil) else { return nil }
        defer { free(resolved) }
        let package = URL(fileURLWithPath: String(cString: resolved)).deletingLastPathComponent().deletingLastPathComponent()
        guard let data = try? DurableFile.read(package.appendingPathComponent("package.json").path, limit: 1 << 20),
              let json = try? JSONValue.parse(data), json["name"]?.stringValue == "npm",
              let version = json["version"]?.stringValue, SemanticVersion(version) != nil else { return nil }
        return version
    }

    /// The first executable file `name` in the `:`-separated `path`, in absolute folders only: an
    /// empty or relative entry (`.`) would run a `node` the project being installed put there.
    static func executable(_ name: String, path: String) -> String? {
        for folder in path.split(separator: ":") where folder.hasBytePrefix("/") {
            let candidate = "\(folder)/\(name)"
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
