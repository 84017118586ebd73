import FixtureSigstore
import Foundation
import Hummingbird
import HummingbirdTesting
import SafeJSON
import Testing

/// The Hummingbird adapters on a live 127.0.0.1 server: the job's token request, then Fulcio.
@Suite struct IdentityRoutesTests {
    static func json(_ buffer: ByteBuffer) throws -> JSONValue { try JSONValue.parse(Data(buffer.readableBytesView)) }

    @Test func tokenRequestThenSigningCertificateOverHTTP() async throws {
        let world = try await IdentityFixture.make()
        let router = Router()
        IdentityRoutes.addOIDCIssuer(world.issuer, to: router, prefix: "/oidc")
        IdentityRoutes.addFulcio(world.fulcio, to: router, prefix: "/fulcio")
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let discovery = try await client.execute(uri: "/oidc/.well-known/openid-configuration", method: .get)
            #expect(discovery.status == .ok)
            #expect(try Self.json(discovery.body)["jwks_uri"]?.stringValue == IdentityFixture.issuerURL + "/.well-known/jwks")
            let jwks = try await client.execute(uri: "/oidc/.well-known/jwks", method: .get)
            #expect(try Self.json(jwks.body) == world.issuer.jwks)

            let refused = try await client.execute(uri: "/oidc/token?api-version=2.0&audience=sigstore", method: .get)
            #expect(refused.status == .unauthorized)
            let tokenResponse = try await client.execute(uri: "/oidc/token?api-version=2.0&audience=sigstore", method: .get,
                                                         headers: [.authorization: "Bearer request-token-for-tests", .accept: "application/json"])
            #expect(tokenResponse.status == .ok)
            let token = try #require(try Self.json(tokenResponse.body)["value"]?.stringValue)

            let request = try IdentityFixture.signingRequest(token: token)
            let issued = try await client.execute(uri: "/fulcio/api/v2/signingCert", method: .post,
                                                  headers: [.contentType: "application/json"], body: ByteBuffer(bytes: try request.serialized()))
            #expect(issued.status == .ok)
            let chain = try Self.json(issued.body)["signedCertificateEmbeddedSct"]?["chain"]?["certificates"]?.arrayValue
            #expect(chain?.count == 3)
            #expect(chain?.first?.stringValue?.hasPrefix("-----BEGIN CERTIFICATE-----") == true)

            let wrongAudience = try await client.execute(uri: "/oidc/token?audience=npm%3A127.0.0.1", method: .get,
                                                         headers: [.authorization: "Bearer request-token-for-tests"])
            let npmToken = try #require(try Self.json(wrongAudience.body)["value"]?.stringValue)
            #expect(try IdentityFixture.payload(of: npmToken)["aud"] == "npm:127.0.0.1")
            let refusedCert = try await client.execute(uri: "/fulcio/api/v2/signingCert", method: .post,
                                                       headers: [.contentType: "application/json"],
                                                       body: ByteBuffer(bytes: try IdentityFixture.signingRequest(token: npmToken).serialized()))
            #expect(refusedCert.status == .unauthorized)
            #expect(try Self.json(refusedCert.body)["code"] == 16)
        }
    }
}
