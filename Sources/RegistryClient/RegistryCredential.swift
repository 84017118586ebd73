import FoundationEssentials

/// What npm sends a registry, as npm-registry-fetch's `getAuth` chooses it for one nerf-darted
/// prefix: `:_authToken` (Bearer), else `:_auth` (Basic, already base64), else `:username` with
/// `:_password` (Basic of the user and the base64-decoded password); `:certfile` with `:keyfile`
/// is a TLS client certificate. Found by review: Basic credentials were ignored, and a registry
/// that answers anonymous requests with other packages served us those.
public enum RegistryCredential: Sendable, Equatable {
    case bearer(String)
    case basic(String)
    case clientCertificate

    /// The credential a prefix's settings (`_authToken`, `_auth`, `username`, `_password`,
    /// `certfile`, `keyfile`) give, in npm's order; nil when they give none.
    static func from(_ settings: [String: String]) -> RegistryCredential? {
        if let token = settings["_authToken"], !token.isEmpty { return .bearer(token) }
        if let auth = settings["_auth"], !auth.isEmpty { return .basic(auth) }
        if let user = settings["username"], !user.isEmpty, let encoded = settings["_password"], !encoded.isEmpty {
            let password = Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) } ?? ""
            return .basic(Data("\(user):\(password)".utf8).base64EncodedString())
        }
        if settings["certfile"]?.isEmpty == false, settings["keyfile"]?.isEmpty == false { return .clientCertificate }
        return nil
    }

    /// The keys after `//prefix/:` that hold a credential.
    static let fields = ["_authToken", "_auth", "username", "_password", "certfile", "keyfile"]
}
