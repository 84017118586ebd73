import Crypto
public import Foundation

/// Makes the token strings ``TokenStore`` hands out: `npm_` and 36 base62 characters.
///
/// The default is random. A recorded flow (`fixture-registry record`, its replay) needs the
/// token the OIDC exchange answers to be the same on every run, so it installs
/// ``hmac(secret:)``: the token is derived from the mint's seed (the ID token's `jti`) with a
/// TEST-ONLY secret. Either way the store keeps only the token's hash.
public struct TokenGenerator: Sendable {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    private let make: @Sendable (_ seed: String?) -> String

    public init(_ make: @escaping @Sendable (_ seed: String?) -> String) { self.make = make }

    /// A token for `seed` (nil when the mint has none).
    public func token(seed: String?) -> String { make(seed) }

    /// Fresh random tokens; seeds are ignored.
    public static let random = TokenGenerator { _ in TokenStore.newToken() }

    /// `npm_` + 36 base62 characters taken from HMAC-SHA512(`secret`, seed): the same seed gives
    /// the same token. A mint without a seed still gets a random token.
    /// TEST-ONLY: anyone holding `secret` can compute every token it makes.
    public static func hmac(secret: Data) -> TokenGenerator {
        let key = SymmetricKey(data: secret)
        return TokenGenerator { seed in
            guard let seed else { return TokenStore.newToken() }
            let mac = Array(HMAC<SHA512>.authenticationCode(for: Data(seed.utf8), using: key))
            return "npm_" + String(mac.prefix(36).map { alphabet[Int($0) % alphabet.count] })
        }
    }
}
