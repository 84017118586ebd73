import Foundation
public import Hummingbird

/// Thin Hummingbird 2 adapters for the identity services: they copy HTTP in and
/// `IdentityHTTPResponse` out; every decision stays in the in-memory services.
public enum IdentityRoutes {
    /// Largest Fulcio request body accepted.
    public static let maxRequestBytes = 1 << 20

    /// Adds, under `prefix` (the path of `issuer.issuerURL`):
    /// `GET /.well-known/openid-configuration`, `GET /.well-known/jwks` and the
    /// `ACTIONS_ID_TOKEN_REQUEST_URL` endpoint `GET /token?audience=X`.
    public static func addOIDCIssuer<Context: RequestContext>(_ issuer: OIDCIssuer, to router: Router<Context>, prefix: String = "") {
        let group = router.group(RouterPath(prefix))
        group.get(".well-known/openid-configuration") { _, _ in
            response(IdentityHTTPResponse(status: 200, body: issuer.discoveryDocument))
        }
        group.get(".well-known/jwks") { _, _ in
            response(IdentityHTTPResponse(status: 200, body: issuer.jwks))
        }
        group.get("token") { request, _ in
            let audience = request.uri.queryParameters.get("audience")
            return response(await issuer.tokenResponse(authorization: request.headers[.authorization], audience: audience))
        }
    }

    /// Adds `POST <prefix>/api/v2/signingCert`.
    public static func addFulcio<Context: RequestContext>(_ fulcio: FulcioCA, to router: Router<Context>, prefix: String = "") {
        router.group(RouterPath(prefix)).post("api/v2/signingCert") { request, _ in
            let body: ByteBuffer
            do { body = try await request.body.collect(upTo: maxRequestBytes) } catch {
                return response(FulcioError(.invalidArgument, "expected a request body of at most \(maxRequestBytes) bytes").response)
            }
            return response(await fulcio.signingCertificate(requestBody: Data(body.readableBytesView)))
        }
    }

    /// The `ACTIONS_ID_TOKEN_REQUEST_URL` for an issuer whose routes were added under `prefix` at `baseURL`
    /// (GitHub's URL already carries a query, so clients append `&audience=`).
    public static func tokenRequestURL(baseURL: String, prefix: String = "") -> String {
        baseURL + prefix + "/token?api-version=2.0"
    }

    static func response(_ value: IdentityHTTPResponse) -> Response {
        Response(status: HTTPResponse.Status(code: value.status), headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.bodyData())))
    }
}
