public import Foundation
public import JWTKit
public import SafeJSON

/// The claim set of an OIDC ID token, kept as a JSON object so no claim is lost.
///
/// Conforms to `JWTPayload` with a `verify` that checks nothing: time, issuer and
/// audience are checked by `OIDCTokenVerifier` against an injected clock, with
/// errors that say what was expected.
public struct OIDCClaims: JWTPayload, Equatable {
    public let values: [String: JSONValue]

    public init(_ values: [String: JSONValue]) { self.values = values }

    public init(from decoder: any Decoder) throws {
        values = try decoder.singleValueContainer().decode([String: JSONValue].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {}

    // MARK: - Accessors

    /// A string claim; nil when absent or not a string.
    public subscript(name: String) -> String? { values[name]?.stringValue }

    public var issuer: String? { self["iss"] }
    public var subject: String? { self["sub"] }

    /// `aud` as a list (a JWT may carry one string or an array).
    public var audiences: [String] {
        switch values["aud"] {
        case .string(let one): [one]
        case .array(let many): many.compactMap(\.stringValue)
        default: []
        }
    }

    public var expiresAt: Date? { date("exp") }
    public var notBefore: Date? { date("nbf") }
    public var issuedAt: Date? { date("iat") }

    /// A NumericDate claim (seconds since the epoch).
    public func date(_ name: String) -> Date? {
        values[name]?.numberValue.map { Date(timeIntervalSince1970: $0) }
    }
}
