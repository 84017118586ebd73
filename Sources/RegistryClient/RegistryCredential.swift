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
            let password = String(decoding: nodeBase64Decoded(encoded), as: UTF8.self)
            return .basic(Data("\(user):\(password)".utf8).base64EncodedString())
        }
        if settings["certfile"]?.isEmpty == false, settings["keyfile"]?.isEmpty == false { return .clientCertificate }
        return nil
    }

    /// `Buffer.from(text, 'base64')` as Node decodes it (found by review: a strict decoder sent an
    /// empty password where npm sent the real one): URL-safe `-` and `_` are read as `+` and `/`,
    /// other characters outside the alphabet are skipped, the first `=` ends the data, and bits
    /// that do not fill a byte are dropped.
    static func nodeBase64Decoded(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer: UInt32 = 0, bits = 0
        for byte in text.utf8 {
            let value: UInt32
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"), UInt8(ascii: "-"): value = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): value = 63
            case UInt8(ascii: "="): return bytes
            default: continue
            }
            buffer = (buffer << 6) | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
                buffer &= (1 << UInt32(bits)) - 1
            }
        }
        return bytes
    }

    /// Each prefix's credential from its settings: bearer tokens apart (``RegistryConfiguration/authTokens``), the rest.
    static func split(_ settings: [String: [String: String]]) -> (tokens: [String: String], others: [String: RegistryCredential]) {
        var tokens: [String: String] = [:], others: [String: RegistryCredential] = [:]
        for (dart, fields) in settings {
            switch from(fields) {
            case .bearer(let token)?: tokens[dart] = token
            case let credential?: others[dart] = credential
            case nil: break
            }
        }
        return (tokens, others)
    }

    /// The keys after `//prefix/:` that hold a credential.
    static let fields = ["_authToken", "_auth", "username", "_password", "certfile", "keyfile"]
}
