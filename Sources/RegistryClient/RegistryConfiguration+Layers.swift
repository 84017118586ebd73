public import FoundationEssentials
import SafeJSON

extension RegistryConfiguration {
    /// npm's configuration layers, lowest first, as @npmcli/config loads them: the built-in npmrc
    /// (beside npm itself), the global one (`globalconfig`, else `<prefix>/etc/npmrc`), the user's
    /// (`userconfig`, else `~/.npmrc`), the project's, and the `npm_config_*` environment. Each
    /// file is read only when it exists. Found by review: a scope set machine-wide (a CI image's
    /// global npmrc) was fetched from the default registry, and `~/` in a path was not expanded.
    static func npmLayers(projectDirectory: URL, homeDirectory: URL?, environment: [String: String]) throws -> [[(String, String)]] {
        let env = try environmentSettings(environment)
        let project = try fileLayer(projectDirectory.appendingPathComponent(".npmrc"), environment)
        // npm warns and goes on without a built-in or global file it cannot read; so do we.
        let builtin = (try? fileLayer(npmRoot(environment)?.appendingPathComponent("npmrc"), environment)) ?? []
        let userPath = value("userconfig", in: [env, project, builtin]).map { path(of: $0, home: homeDirectory) }
            ?? homeDirectory?.appendingPathComponent(".npmrc")
        let user = try fileLayer(userPath, environment)
        let higher = [env, project, user, builtin]
        let globalPath = value("globalconfig", in: higher).map { path(of: $0, home: homeDirectory) }
            ?? (value("prefix", in: higher).map { path(of: $0, home: homeDirectory) } ?? defaultPrefix(environment))?.appendingPathComponent("etc/npmrc")
        let global = (try? fileLayer(globalPath, environment)) ?? []
        return [builtin, global, user, project, env]
    }

    /// npm's default global prefix: `$PREFIX` when set and not empty, else the folder above the
    /// node binary's folder, below `$DESTDIR` when that is set.
    static func defaultPrefix(_ environment: [String: String]) -> URL? {
        if let prefix = environment["PREFIX"], !prefix.isEmpty { return URL(fileURLWithPath: prefix) }
        guard let node = nodePrefix(environment) else { return nil }
        guard let destination = environment["DESTDIR"], !destination.isEmpty else { return node }
        return URL(fileURLWithPath: destination).appendingPathComponent(node.path)
    }

    /// The settings of the npmrc at `file`; none when there is no such file.
    static func fileLayer(_ file: URL?, _ environment: [String: String]) throws -> [(String, String)] {
        guard let file, let text = try readNpmrc(file) else { return [] }
        return try parseNpmrc(text, environment: environment, file: file.path)
    }

    /// `key` in the first layer that sets it (layers highest first).
    static func value(_ key: String, in layers: [[(String, String)]]) -> String? {
        for layer in layers { if let value = layer.last(where: { $0.0 == key })?.1 { return value } }
        return nil
    }

    /// A path setting as npm reads it: `~/` is the home folder.
    static func path(of value: String, home: URL?) -> URL {
        let trimmed = value.trimmingWhitespace()
        if let home, trimmed.hasBytePrefix("~/") { return home.appendingPathComponent(String(trimmed.dropFirst(2))) }
        return URL(fileURLWithPath: trimmed)
    }

    /// npm's own folder (its built-in npmrc's): `<root>/bin/npm-cli.js` is the npm that runs us
    /// (`npm_execpath` under `npm run`), else the `npm` on PATH.
    static func npmRoot(_ environment: [String: String]) -> URL? {
        let running = environment["npm_execpath"].map(URL.init(fileURLWithPath:))
        guard let npm = (running ?? executable("npm", environment))?.resolvingSymlinksInPath(), npm.lastPathComponent == "npm-cli.js" else { return nil }
        return npm.deletingLastPathComponent().deletingLastPathComponent()
    }

    /// npm's default prefix: the folder above the node binary's folder (`npm_node_execpath` under
    /// `npm run`, else the `node` on PATH).
    static func nodePrefix(_ environment: [String: String]) -> URL? {
        let running = environment["npm_node_execpath"].map(URL.init(fileURLWithPath:))
        return (running ?? executable("node", environment))?.resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The first `name` in `$PATH`'s folders that exists, past any `node_modules/.bin`: `npm run`
    /// puts the project's first, and a dependency's `npm` bin there chose our built-in npmrc
    /// (found by review).
    static func executable(_ name: String, _ environment: [String: String]) -> URL? {
        for folder in (environment["PATH"] ?? "").split(separator: ":") where folder.hasPrefix("/") && !folder.contains("/node_modules/") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
