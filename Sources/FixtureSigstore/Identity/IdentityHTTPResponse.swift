public import Foundation
public import SafeJSON

/// What an identity service (OIDC issuer, Fulcio) answers, before any HTTP
/// framework sees it: a status code and a JSON body. The Hummingbird adapters
/// only copy it onto the wire, so tests can drive the services in memory.
public struct IdentityHTTPResponse: Sendable, Equatable {
    public let status: Int
    public let body: JSONValue

    /// The body as compact JSON with sorted keys (stable for recorded flows).
    public func bodyData() -> Data {
        (try? body.serialized()) ?? Data("{}".utf8)
    }
}
