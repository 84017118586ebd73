import Foundation
import Hummingbird
import SafeJSON
import Logging

extension RegistryResponder {
    static let exchangePath = "/-/npm/v1/oidc/token/exchange/package/"

    /// The raw (escaped) package segment of an exchange request. npm sends the path absolute,
    /// dropping any registry prefix (PROTOCOLS §1.3), so it is matched at the root.
    static func exchangePackage(in path: String) -> String? {
        guard path.hasPrefix(exchangePath) else { return nil }
        return String(path.dropFirst(exchangePath.count))
    }

    /// `POST /-/npm/v1/oidc/token/exchange/package/<escaped name>`: `{token}` or npm's error shape.
    func exchange(_ escapedName: String, request: Request, context: Context) async -> Response {
        guard let world = storage.world else {
            return RegistryResponse.error(.notFound, "OIDC token exchange error - package not found (this registry trusts no OIDC issuer)")
        }
        let name: PackageName
        do {
            guard let decoded = escapedName.removingPercentEncoding else { throw RegistryError.invalidPackageName(escapedName, reason: "bad percent-encoding") }
            name = try PackageName(decoded)
        } catch {
            return RegistryResponse.error(.notFound, "OIDC token exchange error - package not found")
        }
        // The audience names this registry as it serves itself, never the request's Host header,
        // which the caller writes (found by review: `Host: registry.npmjs.org` passed a token minted
        // for another registry).
        let host = URLComponents(string: address.baseURL(prefix: ""))?.host ?? "127.0.0.1"
        let exchange = TrustedPublishingExchange(publishers: storage.tokens.configuration.trustedPublishers,
                                                 validator: world.oidc, tokens: storage.tokens)
        do {
            let token = try await exchange.exchange(package: name, authorization: request.headers[.authorization], registryHost: host)
            context.logger.info("OIDC exchange: token for \(name)")
            return RegistryResponse.json(["token": .string(token)], status: .created)
        } catch {
            context.logger.info("OIDC exchange refused for \(name): \(error.reason)")
            let status: HTTPResponse.Status = error.kind == .packageNotFound ? .notFound : .unauthorized
            return RegistryResponse.json(["message": .string("\(error.message): \(error.reason)")], status: status)
        }
    }
}
