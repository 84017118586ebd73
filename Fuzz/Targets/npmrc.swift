import Foundation
@testable import RegistryClient

// RegistryClient: `.npmrc` parsing (`parseNpmrc`, with `${VAR}` expansion) and the resulting
// configuration's registry/token lookups. The first line of the input is the environment
// (`NAME=value;NAME2=value`), the rest the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = fuzzString(start, count)
    var environment = ["NPM_TOKEN": "secret", "HOME": "/home/fuzz", "EMPTY": "", "LOOP": "${LOOP}"]
    var body = text
    if let newline = text.firstIndex(of: "\n") {
        for pair in text[..<newline].split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2 { environment[String(parts[0])] = String(parts[1]) }
        }
        body = String(text[text.index(after: newline)...])
    }
    for source in [text, body] {
        guard let settings = try? RegistryConfiguration.parseNpmrc(source, environment: environment) else { continue }
        var scopes: [String: String] = [:]
        var tokens: [String: String] = [:]
        for (key, value) in settings {
            if key.hasPrefix("@"), key.hasSuffix(":registry") { scopes[String(key.dropLast(":registry".count))] = value }
            if key.hasPrefix("//"), key.hasSuffix(":_authToken") { tokens[String(key.dropLast(":_authToken".count))] = value }
        }
        let registry = settings.last(where: { $0.0 == "registry" })?.1 ?? "https://registry.npmjs.org/"
        let configuration = RegistryConfiguration(registry: registry, scopeRegistries: scopes, authTokens: tokens)
        _ = RegistryConfiguration.nerfDart(registry)
        _ = configuration.token(for: registry)
        for (key, value) in settings {
            _ = RegistryConfiguration.nerfDart(value)
            _ = configuration.token(for: value)
            _ = configuration.token(for: "https:" + key)
        }
    }
    return 0
}
