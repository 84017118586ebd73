public import Foundation
public import SafeJSON

extension FulcioCA {
    /// `POST /api/v2/signingCert` (PROTOCOLS §5.7): reads `credentials.oidcIdentityToken`,
    /// `publicKeyRequest.publicKey.content` (PEM) and `publicKeyRequest.proofOfPossession` (base64 DER),
    /// answers `{"signedCertificateEmbeddedSct": {"chain": {"certificates": [leaf, intermediate, root]}}}`
    /// or a Fulcio-like error (400/401) naming the reason.
    public func signingCertificate(requestBody: Data) async -> IdentityHTTPResponse {
        guard let request = try? JSONValue.parse(requestBody) else {
            return FulcioError(.invalidArgument, "expected a JSON request body").response
        }
        return await signingCertificate(request: request)
    }

    /// The same, for an already parsed request.
    public func signingCertificate(request: JSONValue) async -> IdentityHTTPResponse {
        guard let token = request["credentials"]?["oidcIdentityToken"]?.stringValue else {
            return FulcioError(.invalidArgument, "expected credentials.oidcIdentityToken in the request").response
        }
        guard let keyRequest = request["publicKeyRequest"], let pem = keyRequest["publicKey"]?["content"]?.stringValue else {
            return FulcioError(.invalidArgument, "expected publicKeyRequest.publicKey.content (PEM) in the request").response
        }
        guard let proof = keyRequest["proofOfPossession"]?.stringValue, let proofBytes = Data(base64Encoded: proof) else {
            return FulcioError(.invalidArgument, "expected publicKeyRequest.proofOfPossession (base64) in the request").response
        }
        do {
            let issued = try await issue(token: token, publicKeyPEM: pem, proofOfPossession: Array(proofBytes))
            let certificates = try issued.pemChain().map(JSONValue.string)
            return IdentityHTTPResponse(status: 200, body: ["signedCertificateEmbeddedSct": ["chain": ["certificates": .array(certificates)]]])
        } catch let error as FulcioError {
            return error.response
        } catch {
            return FulcioError(.internal, "could not issue the certificate: \(error)").response
        }
    }
}
