import FoundationEssentials
import NpmModel
import SafeJSON

/// Which proxy npm sends a request through (npm-registry-fetch and @npmcli/agent, npm 10): the
/// `https-proxy` setting, else `proxy`, for every address; without either, the environment's
/// `https_proxy` (for an http address also `http_proxy`, then `proxy`), in any case; no proxy for
/// a host that `noproxy` (else `no_proxy`) names by whole trailing labels. Found by review: libcurl
/// followed its own reading of the environment, and sent a token through a proxy npm bypasses.
public struct ProxySettings: Sendable, Equatable {
    /// `https-proxy`, else `proxy`, from npm's configuration.
    public var configured: String?
    /// `noproxy` and the environment's `no_proxy`: comma-separated host suffixes. npm's agent
    /// drops the setting when it builds the agent and reads the environment's list per connection,
    /// so a host either one names goes direct (found by a re-attack).
    public var noProxy: String?
    /// The environment's `https_proxy`, `http_proxy` and `proxy`, by lower-cased name.
    public var environment: [String: String]

    public init(configured: String? = nil, noProxy: String? = nil, environment: [String: String] = [:]) {
        self.configured = configured
        self.noProxy = noProxy
        self.environment = environment
    }

    /// From npm's flattened settings and the process environment.
    init(settings: [String: String], environment: [String: String]) {
        var lowered: [String: String] = [:]
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where ["https_proxy", "http_proxy", "proxy", "no_proxy"].contains(name.lowercased()) {
            lowered[name.lowercased()] = value
        }
        func setting(_ key: String) -> String? {
            settings[key].flatMap { ["", "false", "null"].contains($0.trimmingWhitespace()) ? nil : $0 }
        }
        configured = setting("https-proxy") ?? setting("proxy")
        noProxy = [setting("noproxy"), lowered["no_proxy"]].compactMap { $0 }.joined(separator: ",")
        lowered["no_proxy"] = nil
        self.environment = lowered.filter { !$0.value.isEmpty }
    }

    /// The proxy for `url`, or nil to connect directly.
    public func proxy(for url: String) -> String? {
        let https = url.lowercased().hasBytePrefix("https:")
        let chosen = configured ?? (https ? environment["https_proxy"]
                                          : environment["https_proxy"] ?? environment["http_proxy"] ?? environment["proxy"])
        guard let chosen, !bypasses(url) else { return nil }
        return chosen
    }

    /// @npmcli/agent's `isNoProxy`: the host's labels end with every label of some entry.
    func bypasses(_ url: String) -> Bool {
        guard let noProxy, let host = URLHost.of(url)?.lowercased() else { return false }
        let hostLabels = Array(host.split(separator: ".", omittingEmptySubsequences: false).reversed())
        return noProxy.split(separator: ",").contains { entry in
            let labels = Array(entry.trimmingWhitespace().split(separator: ".").reversed())
            guard !labels.isEmpty, labels.count <= hostLabels.count else { return false }
            return zip(labels, hostLabels).allSatisfy { $0 == $1 }
        }
    }
}
