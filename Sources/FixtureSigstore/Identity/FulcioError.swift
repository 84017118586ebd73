public import CodedError
import SafeJSON

/// A refused Fulcio request: an HTTP status, the gRPC code grpc-gateway puts in
/// the body, and a message sigstore-js shows (it reads `message`).
public struct FulcioError: CodedError, Sendable {
    public enum Kind: Sendable, Hashable {
        /// 400, gRPC 3: malformed request or proof of possession that does not verify.
        case invalidArgument
        /// 401, gRPC 16: the identity token was refused.
        case unauthenticated
        /// 500, gRPC 13: the CA itself failed.
        case `internal`
    }

    public let kind: Kind
    public let message: String
    /// For a refused token, which check failed.
    public let token: OIDCTokenError.Code?

    public init(_ kind: Kind, _ message: String, token: OIDCTokenError.Code? = nil) {
        (self.kind, self.message, self.token) = (kind, message, token)
    }

    /// The kind is the code.
    public var code: Kind { kind }

    /// Which token check failed, for a refused token.
    public var context: ErrorContext { ["token": token?.rawValue] }

    public var status: Int {
        switch kind {
        case .invalidArgument: 400
        case .unauthenticated: 401
        case .internal: 500
        }
    }

    var grpcCode: Int {
        switch kind {
        case .invalidArgument: 3
        case .unauthenticated: 16
        case .internal: 13
        }
    }

    /// grpc-gateway's error body: `{"code": n, "message": "...", "details": []}`.
    public var response: IdentityHTTPResponse {
        IdentityHTTPResponse(status: status, body: ["code": .number(Double(grpcCode)), "message": .string(message), "details": []])
    }

    public var description: String { "Fulcio \(status): \(message)" }
}
