import CurlTransport
import Foundation
import NpmModel
import RegistryClient
import Synchronization
import Integrity
import Testing

/// A registry that redirects every path in `redirects` and records each request's Authorization.
private final class RedirectingRegistry: HTTPTransport {
    let redirects: [String: String]
    let seen = Mutex<[(url: String, authorization: String?, follows: Bool)]>([])
    let requests = Mutex<[HTTPRequest]>([])

    init(_ redirects: [String: String]) { self.redirects = redirects }

    func send(_ request: HTTPRequest, digest: (@Sendable () -> any StreamingDigest)?) async throws -> HTTPResponse {
        let authorization = request.headers.first { $0.name == "Authorization" }?.value
        seen.withLock { $0.append((request.url, authorization, request.followsRedirects)) }
        requests.withLock { $0.append(request) }
        if let location = redirects[request.url] {
            return HTTPResponse(url: request.url, status: 302, headers: ["location": location], body: Data(), bodyDigest: nil, attempts: 1)
        }
        let body = Data(#"{"name":"x","dist-tags":{},"versions":{}}"#.utf8)
        return HTTPResponse(url: request.url, status: 200, headers: ["content-type": "application/json"], body: body, bodyDigest: nil, attempts: 1)
    }
}

/// Found by review: libcurl kept a path-scoped token on a redirect to another path of the same
/// host. The client follows redirects itself and chooses the credential (and proxy) again.
@Suite struct CredentialRedirectTests {
    @Test func aRedirectToAnotherPathGetsThatPathsCredentialNotTheFirst() async throws {
        let registry = RedirectingRegistry(["http://h.test/npm/x": "/evilpath/x"])
        let configuration = RegistryConfiguration(registry: "http://h.test/npm/", authTokens: ["//h.test/npm/": "SCOPED"])
        let client = RegistryClient(configuration: configuration, transport: registry)
        _ = try await client.packument(try PackageName("x"))
        let seen = registry.seen.withLock { $0 }
        #expect(seen.map(\.url) == ["http://h.test/npm/x", "http://h.test/evilpath/x"])
        #expect(seen.map(\.authorization) == ["Bearer SCOPED", nil])
        #expect(seen.map(\.follows) == [false, false], "the client follows every redirect itself")
    }

    @Test func aCredentialedRedirectFromHTTPSToHTTPIsRefused() async throws {
        let registry = RedirectingRegistry(["https://h.test/x": "http://h.test/x"])
        let configuration = RegistryConfiguration(registry: "https://h.test/", authTokens: ["//h.test/": "T"])
        let client = RegistryClient(configuration: configuration, transport: registry)
        let error = await #expect(throws: RegistryError.self) { try await client.packument(try PackageName("x")) }
        #expect(error?.message.contains("never from https to http") == true)
        #expect(registry.seen.withLock { $0.count } == 1)
    }

    /// Found by review: a redirect to another host got that host's credential, so a registry could
    /// make us ask another registry, with its token, for what it answers in its own name. npm's
    /// fetch drops Authorization when a redirect changes host.
    @Test func aRedirectToAnotherHostCarriesNoCredential() async throws {
        let registry = RedirectingRegistry(["http://a.test/x": "http://b.test/private/x", "http://b.test/private/x": "http://a.test/admin/x"])
        let configuration = RegistryConfiguration(registry: "http://a.test/", authTokens: ["//a.test/": "A", "//b.test/": "B"])
        let client = RegistryClient(configuration: configuration, transport: registry)
        _ = try await client.packument(try PackageName("x"))
        #expect(registry.seen.withLock { $0.map(\.authorization) } == ["Bearer A", nil, nil], "not even back on the first host")
        // Another port of the same host is another registry with its own token (npm sends none).
        let ports = RedirectingRegistry(["http://a.test/x": "http://a.test:8080/x"])
        let both = RegistryConfiguration(registry: "http://a.test/", authTokens: ["//a.test/": "A", "//a.test:8080/": "P"])
        _ = try await RegistryClient(configuration: both, transport: ports).packument(try PackageName("x"))
        #expect(ports.seen.withLock { $0.map(\.authorization) } == ["Bearer A", nil])
    }

    /// Found by review: each hop got a fresh time-out (six hops of 120 s for one packument). Every
    /// hop carries the first one's start; a tarball is asked for as sent, never decoded.
    @Test func everyHopSharesTheRequestsStartAndTarballsAreNotDecoded() async throws {
        let registry = RedirectingRegistry(["http://a.test/x": "/y", "http://a.test/y": "/z"])
        let client = RegistryClient(configuration: RegistryConfiguration(registry: "http://a.test/"), transport: registry)
        _ = try await client.packument(try PackageName("x"))
        let requests = registry.requests.withLock { $0 }
        #expect(requests.count == 3)
        #expect(requests.first?.startedAt != nil && Set(requests.map(\.startedAt)).count == 1)
        #expect(requests.allSatisfy { $0.acceptsEncodings }, "packuments may come compressed")
        _ = try? await client.tarball(url: "http://a.test/t.tgz", integrity: try SubresourceIntegrity("sha512-" + String(repeating: "A", count: 86) + "=="), subject: "t@1.0.0")
        #expect(registry.requests.withLock { $0.last?.acceptsEncodings } == false)
    }
}
