public import Foundation

/// The environment a real npm process needs to trust the fixture world offline (PROTOCOLS §8.7–8.8).
public enum NpmTUFEnvironment {
    /// `https_proxy`/`HTTPS_PROXY` (the CONNECT proxy), `no_proxy`/`NO_PROXY` (`127.0.0.1,localhost`, so the
    /// loopback `http://` registry is not proxied), `NODE_EXTRA_CA_CERTS` (the fixture TLS CA, read by
    /// Node only at start-up) and `npm_config_cache` (the cache holding the fixture TUF root).
    /// Both spellings of the proxy variables are set so an inherited one cannot win.
    public static func variables(proxyPort: Int, caCertificateFile: URL, npmCache: URL) -> [String: String] {
        let proxy = "http://127.0.0.1:\(proxyPort)"
        let noProxy = "127.0.0.1,localhost"
        return [
            "https_proxy": proxy, "HTTPS_PROXY": proxy,
            "no_proxy": noProxy, "NO_PROXY": noProxy,
            "NODE_EXTRA_CA_CERTS": caCertificateFile.path,
            "npm_config_cache": npmCache.path,
        ]
    }

    /// `export NAME='value'` lines (sorted, single-quoted) for a file a POSIX shell can source.
    public static func shellExports(_ variables: [String: String]) -> String {
        variables.keys.sorted().map { name in
            "export \(name)='" + variables[name]!.replacingOccurrences(of: "'", with: "'\\''") + "'\n"
        }.joined()
    }
}
