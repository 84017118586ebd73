import ArgumentParser
import CurlTransport
import FoundationEssentials
import Installer
import RegistryClient
import CodedError
import DurableFile
import NpmModel
import SafeJSON

/// The setup every project command shares (install, ci, resolve, audit, verify-lockfile): the
/// project folder, the environment, the registry configuration from `.npmrc`, and the HTTP client.
struct ProjectSetup {
    /// The project folder, absolute.
    let directory: URL
    /// The process environment (`HOME`, `npm_config_registry`, `XDG_CACHE_HOME`...).
    let environment: [String: String]

    /// `prefix` resolved against the working folder.
    init(prefix: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        directory = URL(fileURLWithPath: prefix, relativeTo: cwd).standardizedFileURL
        self.environment = environment
    }

    /// The user's home folder as Node's `os.homedir()` finds it: `$HOME`, else the account's
    /// (found by review: without HOME the user's `.npmrc` was not read).
    static func home(_ environment: [String: String]) -> URL? {
        if let home = environment["HOME"], !home.isEmpty { return URL(fileURLWithPath: home) }
        return FileManager.default.homeDirectoryForCurrentUser
    }

    /// Refuses a folder that is a workspace of a project above it, as npm's `loadLocalPrefix` finds
    /// one when no `--prefix` is given: npm works on that project's root there (its node_modules,
    /// lockfile and `.npmrc`), so a run here would verify another tree and read other settings than
    /// npm's (found by review: the root's scope registry was not applied). A parent's glob this
    /// reader cannot read counts as matching: the refusal fails closed.
    func refuseWorkspaceMember() throws {
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("package.json").path) else { return }
        var folder = directory
        while folder.pathComponents.count > 1 {
            let parent = folder.deletingLastPathComponent()
            defer { folder = parent }
            guard let data = try? DurableFile.read(parent.appendingPathComponent("package.json").path, limit: 16 << 20),
                  let json = try? JSONValue.parseAsNpmReadsFile(data), json["workspaces"] != nil else { continue }
            let relative = String(directory.path.dropFirst(parent.path.count)).drop { $0 == "/" }
            guard WorkspaceGlobs(json).mayContain(String(relative)) else { continue }
            throw NpmModelError(.invalidConfiguration, "\(directory.path) is the workspace \(relative) of \(parent.path): npm works on that project's root (its node_modules, lockfile and .npmrc); run verify-install there (--prefix \(parent.path))")
        }
    }

    /// The project's and the user's `.npmrc` under `registry` (else `fallback`), with
    /// `commandLine` settings (`--omit`, …) on top; `nil` when neither names a registry and there
    /// is no fallback.
    func configuration(registry: String?, fallback: String?, commandLine: [(String, String)] = []) throws -> RegistryConfiguration? {
        try RegistryConfiguration.load(
            projectDirectory: directory, homeDirectory: Self.home(environment),
            registryOverride: registry, fallback: fallback, environment: environment, commandLine: commandLine)
    }

    /// As npm reads it: `--registry`, else `npm_config_registry`, else `.npmrc`, else the public registry.
    func publicConfiguration(registry: String?) throws -> RegistryConfiguration {
        // npm ignores an empty variable; the environment layer of `load` reads the others.
        try configuration(registry: registry, fallback: AuditDefaults.publicRegistry)!
    }

    /// The libcurl client, `concurrency` transfers at once, on as many transfer threads as the
    /// machine's cores call for.
    func transport(concurrency: Int = 16) throws -> CurlHTTPClient {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return try CurlHTTPClient(configuration: TransportConfiguration(
            maxConcurrentTransfers: concurrency,
            transferThreads: TransportConfiguration.transferThreads(forCores: cores)))
    }
}

/// `--prefix` for the commands that work on an installed project (install, ci, resolve, audit).
struct ProjectOption: ParsableArguments {
    @Option(name: .customLong("prefix"), help: ArgumentHelp("Project folder holding package.json and node_modules (default: the current folder, refused when it is a workspace of a project above, as npm works on that root).", valueName: "dir"))
    var folder: String?

    /// The project these options name; without `--prefix`, a workspace member of a project above
    /// is refused, since npm works on that root there (with the root's `.npmrc`).
    func setup() throws -> ProjectSetup {
        let project = ProjectSetup(prefix: folder ?? ".")
        if folder == nil { try project.refuseWorkspaceMember() }
        return project
    }
}

/// `--registry` for the commands that default to the public registry (audit, verify-lockfile).
struct PublicRegistryOption: ParsableArguments {
    @Option(name: .customLong("registry"), help: ArgumentHelp("Registry base URL (default: npm_config_registry, .npmrc, else https://registry.npmjs.org/).", valueName: "url"))
    var url: String?

    /// Refuses a registry that is not an http(s) URL. Called by the commands in `run`, not by the
    /// parser, so that under `--json` the refusal is a JSON document too (found by a re-attack).
    func checked() throws {
        if let url, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw CommandFailure.report(CommandFailure.usage("--registry must be an http:// or https:// URL, got '\(url)'"), as: .usage)
        }
    }
}
