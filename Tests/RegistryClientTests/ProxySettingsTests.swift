import CodedError
import FixtureTesting
import Foundation
@testable import RegistryClient
import Testing

/// npm's choice of proxy (npm-registry-fetch, @npmcli/agent) for each request.
@Suite struct ProxySettingsTests {
    @Test func theSettingBeatsTheEnvironmentForEveryScheme() {
        let proxies = ProxySettings(settings: ["proxy": "http://p.test:1"], environment: ["HTTPS_PROXY": "http://env.test:2"])
        #expect(proxies.proxy(for: "https://registry.npmjs.org/x") == "http://p.test:1")
        #expect(proxies.proxy(for: "http://r.test/x") == "http://p.test:1")
        let both = ProxySettings(settings: ["proxy": "http://p.test:1", "https-proxy": "http://s.test:3"], environment: [:])
        #expect(both.proxy(for: "http://r.test/x") == "http://s.test:3", "npm-registry-fetch passes httpsProxy || proxy for any address")
    }

    @Test func theEnvironmentIsReadInAnyCaseAndHTTPSProxyServesHTTPToo() {
        let upper = ProxySettings(settings: [:], environment: ["HTTP_PROXY": "http://h.test:1"])
        #expect(upper.proxy(for: "http://r.test/x") == "http://h.test:1")
        #expect(upper.proxy(for: "https://r.test/x") == nil, "an https address uses https_proxy only")
        let secure = ProxySettings(settings: [:], environment: ["https_proxy": "http://s.test:2", "http_proxy": "http://h.test:1"])
        #expect(secure.proxy(for: "http://r.test/x") == "http://s.test:2")
        #expect(ProxySettings(settings: ["proxy": "false"], environment: ["https_proxy": "http://s.test:2"]).proxy(for: "https://r.test/") == "http://s.test:2")
    }

    /// Found by review: `npm_config_noproxy` sent the request directly in npm, through the proxy here.
    @Test func noproxyNamesHostsByWholeTrailingLabels() {
        let proxies = ProxySettings(settings: ["noproxy": "127.0.0.1, corp.test"], environment: ["http_proxy": "http://p.test:1", "NO_PROXY": "other.test"])
        #expect(proxies.proxy(for: "http://127.0.0.1:4873/x") == nil)
        #expect(proxies.proxy(for: "http://r.corp.test/x") == nil)
        #expect(proxies.proxy(for: "http://evilcorp.test/x") == "http://p.test:1")
        #expect(proxies.proxy(for: "http://other.test/x") == nil, "npm's agent reads NO_PROXY per connection too")
        #expect(ProxySettings(settings: [:], environment: ["http_proxy": "http://p.test:1", "NO_PROXY": "other.test"]).proxy(for: "http://a.other.test/") == nil)
    }

    @Test func npmrcProxySettingsAreRead() throws {
        let root = Scratch.path("proxy")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data("https-proxy=http://corp-proxy.test:8080/\nnoproxy=internal.test\n".utf8).write(to: root.appendingPathComponent(".npmrc"))
        let config = try #require(try RegistryConfiguration.load(projectDirectory: root, homeDirectory: nil, registryOverride: nil,
                                                                 fallback: "https://registry.npmjs.org/", environment: [:]))
        #expect(config.proxies.proxy(for: "https://registry.npmjs.org/x") == "http://corp-proxy.test:8080/")
        #expect(config.proxies.proxy(for: "https://npm.internal.test/x") == nil)
    }
}
