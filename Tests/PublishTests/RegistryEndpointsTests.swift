import Foundation
import Publish
import Testing

/// URL derivation as npm does it: escaped names, exchange path, audience, tarball URI, OIDC query.
@Suite struct RegistryEndpointsTests {
    @Test(arguments: [("@mochi/example", "@mochi%2fexample"), ("left-pad", "left-pad"), ("@a/b", "@a%2fb")])
    func escapedNameReplacesTheScopeSlashWithLowercasePercent2f(name: String, escaped: String) {
        #expect(RegistryEndpoints.escapedName(name) == escaped)
    }

    @Test func exchangeURLIsAbsoluteAndDropsARegistryPathPrefix() throws {
        let endpoints = try RegistryEndpoints(registry: "http://127.0.0.1:4873/npm/")
        #expect(endpoints.exchangeURL(name: "@mochi/example") == "http://127.0.0.1:4873/-/npm/v1/oidc/token/exchange/package/@mochi%2fexample")
        #expect(endpoints.packageURL(name: "@mochi/example") == "http://127.0.0.1:4873/npm/@mochi%2fexample")
    }

    @Test func audienceIsTheHostnameWithoutPortOrPath() throws {
        #expect(try RegistryEndpoints(registry: "http://127.0.0.1:4873/npm/").audience == "npm:127.0.0.1")
        #expect(try RegistryEndpoints(registry: "https://registry.npmjs.org/").audience == "npm:registry.npmjs.org")
    }

    @Test func tarballURLIsNpmsOddScopedFormOverHTTP() throws {
        let endpoints = try RegistryEndpoints(registry: "https://registry.npmjs.org")
        #expect(endpoints.tarballURL(name: "@mochi/example", version: "1.1.0")
            == "http://registry.npmjs.org/@mochi/example/-/@mochi/example-1.1.0.tgz")
    }

    @Test func nonHTTPRegistryIsRefused() {
        #expect(throws: PublishError.self) { try RegistryEndpoints(registry: "file:///tmp/registry") }
        #expect(throws: PublishError.self) { try RegistryEndpoints(registry: "registry.npmjs.org") }
    }

    @Test func audienceIsAppendedFormEncodedLikeURLSearchParams() {
        #expect(QueryParameter.append(to: "http://h/token?api-version=2.0", name: "audience", value: "npm:127.0.0.1")
            == "http://h/token?api-version=2.0&audience=npm%3A127.0.0.1")
        #expect(QueryParameter.append(to: "http://h/token", name: "audience", value: "sigstore") == "http://h/token?audience=sigstore")
        #expect(QueryParameter.encode("a b/c~") == "a+b%2Fc%7E")
    }
}
