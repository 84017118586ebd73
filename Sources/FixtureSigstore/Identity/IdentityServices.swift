import Foundation
import SafeJSON

/// The identity half of a fixture Sigstore world wired together: the job's OIDC
/// issuer, the CT log, and Fulcio trusting that issuer for audience `sigstore`.
public struct IdentityServices: Sendable {
    /// Every private key and certificate of the identity services, PEM, so a world
    /// can persist them (test-only keys) and recorded flows can replay with them.
    public struct Keys: Sendable, Codable, Equatable {
        public var issuerKeyPEM: String
        public var issuerKeyID: String
        public var ctLogKeyPEM: String
        public var fulcio: FulcioCA.Material

        public init(issuerKeyPEM: String, issuerKeyID: String, ctLogKeyPEM: String, fulcio: FulcioCA.Material) {
            self.issuerKeyPEM = issuerKeyPEM
            self.issuerKeyID = issuerKeyID
            self.ctLogKeyPEM = ctLogKeyPEM
            self.fulcio = fulcio
        }
    }

    public let issuer: OIDCIssuer
    public let ctLog: CTLog
    public let fulcio: FulcioCA

    /// Builds the services; without `keys` every key is generated (the CA valid from an hour before now).
    public static func make(issuerURL: String, job: GitHubActionsJob, keys: Keys? = nil, requestToken: String? = nil,
                            ctLogURL: String = "https://ctfe.fixture.invalid/test", fulcioURL: String = "https://fulcio.fixture.invalid",
                            clock: @escaping @Sendable () -> Date = { Date() }) async throws -> IdentityServices {
        let issuer = try await OIDCIssuer(issuerURL: issuerURL, job: job, requestToken: requestToken, privateKeyPEM: keys?.issuerKeyPEM,
                                          keyID: keys?.issuerKeyID, clock: clock)
        let verifier = try await OIDCTokenVerifier(jwks: issuer.jwks, issuer: issuer.issuerURL, audience: "sigstore", clock: clock)
        let ctLog = try CTLog(baseURL: ctLogURL, privateKeyPEM: keys?.ctLogKeyPEM, clock: clock)
        let material = try keys?.fulcio ?? FulcioCA.Material.generate(notBefore: clock().addingTimeInterval(-3600))
        let fulcio = try FulcioCA(material: material, ctLog: ctLog, tokenVerifier: verifier, uri: fulcioURL, clock: clock)
        return IdentityServices(issuer: issuer, ctLog: ctLog, fulcio: fulcio)
    }

    /// The keys in use, for persisting.
    public var keys: Keys {
        Keys(issuerKeyPEM: issuer.privateKeyPEM, issuerKeyID: issuer.keyID, ctLogKeyPEM: ctLog.privateKeyPEM, fulcio: fulcio.material)
    }

    /// The `certificateAuthorities` and `ctlogs` items for `trusted_root.json` (the CT log valid from the CA's start).
    public func trustedRootEntries() throws -> (certificateAuthorities: [JSONValue], ctlogs: [JSONValue]) {
        ([try fulcio.trustedRootEntry()], [ctLog.trustedRootEntry(validFrom: fulcio.root.notValidBefore)])
    }
}
