/// validate-npm-package-name's `validForNewPackages`: npm's registry still serves old names with
/// capitals or `~'!()*`, but refuses them, and Node's core module names, for a new package (found
/// by review: `@Mochi/example` was a new package outside the `@mochi` scope's publisher list).
extension PackageName {
    /// Node's built-in modules: a package of that name could never be required.
    static let coreModules: Set<String> = [
        "assert", "async_hooks", "buffer", "child_process", "cluster", "console", "constants", "crypto", "dgram",
        "diagnostics_channel", "dns", "domain", "events", "fs", "http", "http2", "https", "inspector", "module", "net",
        "os", "path", "perf_hooks", "process", "punycode", "querystring", "readline", "repl", "stream",
        "string_decoder", "sys", "timers", "tls", "trace_events", "tty", "url", "util", "v8", "vm", "wasi",
        "worker_threads", "zlib",
    ]

    /// Throws unless this name may be taken by a first publish.
    func validateForNewPackage() throws(RegistryError) {
        let text = description
        guard text.count <= 214 else { throw .invalidPackageName(text, reason: "name can no longer contain more than 214 characters") }
        guard text == text.lowercased() else { throw .invalidPackageName(text, reason: "name can no longer contain capital letters") }
        guard !text.contains(where: { "~'!()*".contains($0) }) else {
            throw .invalidPackageName(text, reason: "name can no longer contain special characters (\"~'!()*\")")
        }
        guard scope != nil || !Self.coreModules.contains(text) else {
            throw .invalidPackageName(text, reason: "\(text) is a core module name")
        }
    }
}
