public import CodedError
public import FoundationEssentials
import DurableFile
import SafeJSON
public import NpmModel

extension NpmModelError.Code {
    /// An unusable `.npmrc`.
    public static let invalidConfiguration = NpmModelError.Code("invalid-configuration")
}

extension RegistryConfiguration {
    /// Largest `.npmrc` read.
    public static let maxNpmrcBytes = 1024 * 1024
    /// Most `${VAR}` expansions in one value.
    public static let maxExpansions = 16
    /// Longest value after expansion.
    public static let maxExpandedBytes = 16 * 1024

    /// Reads npm's configuration layers (`npmLayers`: built-in, global, user, project, the
    /// `npm_config_*` environment, then `commandLine`), each winning over the one before as in npm, expanding `${VAR}`. `registryOverride` (from `--registry`) beats them all; `fallback` is used
    /// when nothing names a registry. Found by review: a scope registry set in the environment was
    /// ignored, so the audit checked another registry than the one npm had installed from.
    public static func load(projectDirectory: URL, homeDirectory: URL?, registryOverride: String?,
                            fallback: String?, environment: [String: String],
                            commandLine: [(String, String)] = []) throws -> RegistryConfiguration? {
        var settings: [String: String] = [:]
        var secure: [String] = []
        func apply(_ layer: [(String, String)]) {
            for (key, value) in layer {
                settings[key] = value
                let namesRegistry = key == "registry" || key.hasBytePrefix("@") && key.hasByteSuffix(":registry")
                if namesRegistry, value.lowercased().hasBytePrefix("https://") { secure.append(value) }
            }
        }
        let layers = try npmLayers(projectDirectory: projectDirectory, homeDirectory: homeDirectory, environment: environment)
        try refuseUnscopedCredentials(in: layers[1...3])
        for layer in layers + [commandLine] {
            apply(layer)
        }
        guard let registry = registryOverride ?? settings["registry"] ?? fallback else { return nil }
        var scopes: [String: String] = [:]
        var credentialSettings: [String: [String: String]] = [:]
        for (key, value) in settings {
            // npm's pickRegistry takes an empty value as unset (found by review).
            if key.hasBytePrefix("@"), key.hasByteSuffix(":registry"), !value.trimmingWhitespace().isEmpty {
                scopes[String(decoding: key.utf8.dropLast(":registry".utf8.count), as: UTF8.self)] = value
            } else if key.hasBytePrefix("//"), let field = RegistryCredential.fields.first(where: { key.hasByteSuffix(":" + $0) }) {
                credentialSettings[String(decoding: key.utf8.dropLast(field.utf8.count + 1), as: UTF8.self), default: [:]][field] = value
            }
        }
        let (tokens, others) = RegistryCredential.split(credentialSettings)
        // npm's flatOptions: `savePrefix = save-exact ? '' : save-prefix`.
        let exact = settings["save-exact"].map(Self.npmBoolean) ?? false
        var configuration = RegistryConfiguration(registry: registry, scopeRegistries: scopes, authTokens: tokens, secureRegistries: secure,
                                                  defaultScope: settings["scope"]?.trimmingWhitespace(),
                                                  savePrefix: exact ? "" : settings["save-prefix"] ?? "^")
        configuration.otherCredentials = others
        configuration.proxies = ProxySettings(settings: settings, environment: environment)
        registerSecrets(credentialSettings, addresses: [registry] + Array(scopes.values) + [configuration.proxies.configured].compactMap { $0 }
                        + Array(configuration.proxies.environment.values))
        configuration.installScope = try InstallScope(settings: settings.filter { InstallScope.keys.contains($0.key) }, environment: environment)
        return configuration
    }

    /// npm 9 and later refuse credentials a global, user or project file does not scope to a
    /// registry (ERR_INVALID_AUTH), where we used to ignore them.
    static func refuseUnscopedCredentials(in fileLayers: ArraySlice<[(String, String)]>) throws {
        for (key, _) in fileLayers.joined() where ["_auth", "_authToken", "_authtoken", "-authtoken", "username", "_password"].contains(key) {
            throw NpmModelError(.invalidConfiguration, "an npmrc sets \(key) without a registry: npm refuses that (ERR_INVALID_AUTH); scope it as //<registry host>/:\(key)")
        }
    }

    /// Hands every credential, and the password in every registry and proxy address, to the
    /// output's redaction, which blanks them wherever they are quoted (libcurl quotes an address it
    /// cannot parse, password and all; found by review).
    static func registerSecrets(_ credentials: [String: [String: String]], addresses: [String]) {
        for fields in credentials.values {
            for key in ["_authToken", "_auth", "_password"] { if let value = fields[key] { TerminalText.registerSecret(value) } }
            if let encoded = fields["_password"] {
                TerminalText.registerSecret(String(decoding: RegistryCredential.nodeBase64Decoded(encoded), as: UTF8.self))
            }
        }
        for address in addresses {
            // The user info runs from the scheme (if any) to the last `@`; the password follows its first `:`.
            let afterScheme = address.utf8.firstRange(of: "://".utf8).map { address.utf8[$0.upperBound...] } ?? address.utf8[...]
            guard let at = afterScheme.lastIndex(of: UInt8(ascii: "@")) else { continue }
            let userInfo = afterScheme[..<at]
            let password = userInfo.firstIndex(of: UInt8(ascii: ":")).map { userInfo[userInfo.index(after: $0)...] } ?? userInfo
            TerminalText.registerSecret(String(decoding: password, as: UTF8.self))
        }
    }

    /// A Boolean setting as npm's flattened config sees it (parse-field keeps any other text as a
    /// string, which is truthy): `false`, `null` and `undefined` are false; empty, `true`, `0` or
    /// any other text is true (found by review: `save-exact=0` saves exact versions in npm 10).
    static func npmBoolean(_ value: String) -> Bool {
        !["false", "null", "undefined"].contains(value.trimmingWhitespace())
    }

    /// npm's `loadEnv`: each non-empty `npm_config_<key>` (the prefix in any case) is the setting
    /// `<key>`, lower-cased with every `_` after the first character read as `-`; a `//host/:…` key
    /// is kept as written. Two variables naming one setting with different values are refused: npm
    /// takes whichever the process lists last, which cannot be told here.
    static func environmentSettings(_ environment: [String: String]) throws -> [(String, String)] {
        var settings: [String: String] = [:]
        for (name, value) in environment where !value.isEmpty && name.utf8.count > 11 && name.lowercased().hasBytePrefix("npm_config_") {
            let raw = String(name.dropFirst(11))
            var key = raw
            if !raw.hasBytePrefix("//") {
                var scalars = Array(raw.unicodeScalars)
                for index in scalars.indices.dropFirst() where scalars[index] == "_" { scalars[index] = "-" }
                key = String(String.UnicodeScalarView(scalars)).lowercased()
            }
            let expandedKey = try expand(key, environment: environment, context: "environment: \(name)")
            let expanded = try expand(value, environment: environment, context: "environment: \(name)")
            if let other = settings[expandedKey], other != expanded, Self.routes(expandedKey) {
                // A `//host/:` key holds a credential: its values are never quoted (found by review).
                let values = expandedKey.hasBytePrefix("//") ? "to two different values" : "to \(other) and to \(expanded)"
                throw NpmModelError(.invalidConfiguration, "the environment sets npm's \(expandedKey) twice, \(values) (npm_config_ in two cases?): npm would take either")
            }
            settings[expandedKey] = expanded
        }
        return settings.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Whether a setting decides where packages come from or which token goes where: only these
    /// are refused when set twice (`npm run` exports a command-line flag beside the user's own
    /// uppercase variable, found by review).
    static func routes(_ key: String) -> Bool {
        ["registry", "scope", "userconfig", "globalconfig", "prefix"].contains(key)
            || key.hasBytePrefix("@") && key.hasByteSuffix(":registry") || key.hasBytePrefix("//")
    }

    /// The file's text (a symbolic link is followed, as npm follows it; bytes that are not UTF-8
    /// are replaced, as Node decodes them); nil when absent. An `.npmrc` that exists but cannot be
    /// read, is not a regular file or is over `maxNpmrcBytes` is an error: never silently skipped,
    /// since a skipped scope line sends that scope's packages to the default registry.
    static func readNpmrc(_ file: URL) throws -> String? {
        let data: Data?
        do { data = try DurableFile.read(file.path, limit: maxNpmrcBytes) } catch {
            throw NpmModelError(.invalidConfiguration, "\(file.path) cannot be used: \(error)")
        }
        return data.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The top-level settings as npm's config reads them: decoded by npm's ini reader (`IniText`)
    /// into one object (a repeated key keeps its first place and its last value), then each key
    /// and each value with `${VAR}` from the environment, in that order, a later key winning.
    /// Keys are expanded too: `@${ORG}:registry=` routes a scope, and left unexpanded it would
    /// send that scope to the default registry (dependency confusion).
    static func parseNpmrc(_ text: String, environment: [String: String], file: String = ".npmrc") throws -> [(String, String)] {
        var object: [(key: String, value: String)] = []
        var position: [[UInt8]: Int] = [:]  // by bytes: Swift equates keys in two Unicode forms, JavaScript does not
        for (key, value) in IniText.topLevel(text, lists: InstallScope.listKeys) {
            if let index = position[Array(key.utf8)] { object[index].value = value } else {
                position[Array(key.utf8)] = object.count
                object.append((key, value))
            }
        }
        return try object.map { key, value in
            let expanded = try expand(key, environment: environment, context: "\(file): key \(key)")
            return (expanded, try expand(value, environment: environment, context: "\(file): \(expanded)"))
        }
    }

    /// npm's `env-replace`, in one pass (an expanded value is never expanded again): `${NAME}` becomes
    /// the variable, or stays as written when it is unset; `${NAME?}` becomes "" when unset;
    /// `\${NAME}` is literal. At most `maxExpansions` per value, at most `maxExpandedBytes` out.
    static func expand(_ value: String, environment: [String: String], context: String = ".npmrc") throws -> String {
        let scalars = Array(value.unicodeScalars)
        var out = String.UnicodeScalarView()
        var expansions = 0
        var index = 0
        var literalStart = 0  // backslashes from an earlier replacement never escape a reference
        while index < scalars.count {
            guard scalars[index] == "$", index + 1 < scalars.count, scalars[index + 1] == "{",
                  let reference = reference(in: scalars, at: index + 2) else {
                out.append(scalars[index])
                index += 1
                continue
            }
            // Backslashes just before `${`: pairs stay halved, an odd one escapes the reference.
            var slashes = 0
            while index - slashes - 1 >= literalStart, scalars[index - slashes - 1] == "\\" { out.removeLast(); slashes += 1 }
            out.append(contentsOf: String(repeating: "\\", count: slashes / 2).unicodeScalars)
            let written = String(String.UnicodeScalarView(scalars[index..<reference.end]))
            if slashes % 2 == 1 {
                out.append(contentsOf: written.unicodeScalars)
            } else {
                expansions += 1
                guard expansions <= maxExpansions else {
                    throw NpmModelError(.invalidConfiguration, "\(context): more than \(maxExpansions) ${VAR} expansions in one value")
                }
                let replacement = environment[reference.name] ?? (reference.optional ? "" : written)
                out.append(contentsOf: replacement.unicodeScalars)
            }
            guard String(out).utf8.count <= maxExpandedBytes else {
                throw NpmModelError(.invalidConfiguration, "\(context): value is longer than \(maxExpandedBytes) bytes after ${VAR} expansion")
            }
            index = reference.end
            literalStart = index
        }
        return String(out)
    }

    /// `NAME}` or `NAME?}` starting at `start`: the name (no `$`, `{`, `}`, `?`), whether `?` was
    /// given, and the index after `}`.
    private static func reference(in scalars: [Unicode.Scalar], at start: Int) -> (name: String, optional: Bool, end: Int)? {
        var index = start
        while index < scalars.count, !"${}?".unicodeScalars.contains(scalars[index]) { index += 1 }
        guard index > start, index < scalars.count else { return nil }
        let name = String(String.UnicodeScalarView(scalars[start..<index]))
        if scalars[index] == "?" {
            guard index + 1 < scalars.count, scalars[index + 1] == "}" else { return nil }
            return (name, true, index + 2)
        }
        return scalars[index] == "}" ? (name, false, index + 1) : nil
    }
}
