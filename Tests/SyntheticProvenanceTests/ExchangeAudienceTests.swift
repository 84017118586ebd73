import CurlTransport
import FixtureRegistry
import FixtureSigstore
import FixtureTesting
import Foundation
import Harness
import SafeJSON
import Testing

/// The registry's OIDC exchange checks the token's audience against the registry itself, never
/// against the Host header the caller writes (found by review: `Host: registry.npmjs.org` let a
/// token minted for another registry through), and what it gives may only publish.
@Suite struct ExchangeAudienceTests {
    @Test func onlyATokenForThisRegistryFromAGitHubHostedRunnerIsExchangedAndItOnlyPublishes() async throws {
        let folder = Scratch.path("exchange-audience")
        defer { Scratch.remove(folder) }
        let sigstore = try await SigstoreWorld(directory: folder.appendingPathComponent("world"))
        let services = try await WorldServer.start(sigstore)
        let config = RegistryConfig(trustedPublishers: ["@mochi/example": TrustedPublisher(
            repository: "mochi-lang/mochi", workflow: "mochi-publish-npm.yml", user: "mochi-publisher")])
        let storage = try RegistryStorage(directory: folder, config: config, world: RegistryWorldLink(world: sigstore))
        let registry = try await FixtureRegistryServer.start(storage: storage)
        let http = try CurlHTTPClient(configuration: TransportConfiguration(retry: .none))
        do {
            let environment = try await WorldPublisher(registryURL: registry.baseURL, services: services)
                .environment(of: WorldPublisher.job(forVersion: "9.0.0", repository: "mochi-lang/mochi"))
            func exchange(audience: String, host: String?) async throws -> HTTPResponse {
                let tokenURL = try #require(environment["ACTIONS_ID_TOKEN_REQUEST_URL"]) + "&audience=" + audience
                let minted = try await http.send(HTTPRequest(url: tokenURL, headers: [
                    "Authorization": "Bearer " + (try #require(environment["ACTIONS_ID_TOKEN_REQUEST_TOKEN"]))]))
                let jwt = try #require(try JSONValue.parse(minted.body)["value"]?.stringValue)
                var headers = ["Authorization": "Bearer \(jwt)"]
                if let host { headers["Host"] = host }
                return try await http.send(HTTPRequest(url: registry.baseURL + "-/npm/v1/oidc/token/exchange/package/@mochi%2fexample",
                                                       method: "POST", headers: headers, body: Data()))
            }
            let forged = try await exchange(audience: "npm%3Aregistry.npmjs.org", host: "registry.npmjs.org")
            #expect(forged.status == 401, "\(String(decoding: forged.body, as: UTF8.self))")
            #expect(String(decoding: forged.body, as: UTF8.self).contains("npm:127.0.0.1"))
            let genuine = try await exchange(audience: "npm%3A127.0.0.1", host: nil)
            #expect(genuine.status == 201, "\(String(decoding: genuine.body, as: UTF8.self))")
            // npm limits OIDC to publishing: the exchanged token cannot move a dist-tag (found by review).
            let token = try #require(try JSONValue.parse(genuine.body)["token"]?.stringValue)
            let tag = try await http.send(HTTPRequest(url: registry.baseURL + "-/package/@mochi%2fexample/dist-tags/latest", method: "PUT",
                                                      headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"],
                                                      body: Data(#""1.0.0""#.utf8)))
            #expect(tag.status == 403, "\(String(decoding: tag.body, as: UTF8.self))")
            #expect(String(decoding: tag.body, as: UTF8.self).contains("trusted publishing (OIDC), which may only publish new versions"))

            // npm supports GitHub-hosted runners only (found by review).
            var selfHosted = WorldPublisher.job(forVersion: "9.0.1", repository: "mochi-lang/mochi")
            selfHosted.runnerEnvironment = "self-hosted"
            let hosted = try await WorldPublisher(registryURL: registry.baseURL, services: services).environment(of: selfHosted)
            let minted = try await http.send(HTTPRequest(url: try #require(hosted["ACTIONS_ID_TOKEN_REQUEST_URL"]) + "&audience=npm%3A127.0.0.1",
                                                         headers: ["Authorization": "Bearer " + (try #require(hosted["ACTIONS_ID_TOKEN_REQUEST_TOKEN"]))]))
            let jwt = try #require(try JSONValue.parse(minted.body)["value"]?.stringValue)
            let refused = try await http.send(HTTPRequest(url: registry.baseURL + "-/npm/v1/oidc/token/exchange/package/@mochi%2fexample",
                                                          method: "POST", headers: ["Authorization": "Bearer \(jwt)"], body: Data()))
            #expect(refused.status == 401)
            #expect(String(decoding: refused.body, as: UTF8.self).contains("token runner_environment is"))
        } catch {
            Issue.record(error)
        }
        http.shutdown()
        await registry.stop()
        await services.stop()
    }
}
