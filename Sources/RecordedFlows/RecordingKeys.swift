public import FixtureRegistry
public import Foundation

/// The TEST-ONLY key files a recorded exchange is made and replayed with, in the keys folder
/// (`FixturePaths.keys`: `$MOCHI_REGISTRY_KEYS`, else the repository's `Registry/keys`; see its README): the OIDC
/// issuer's RSA key and the HMAC secret of the registry's token generator.
public struct RecordingKeys: Sendable {
    public static let issuerKeyFile = "recorded-oidc-issuer-key.pem"
    /// How recordings name the folder (repository-relative, so the file is commit-ready).
    public static let folderName = "Registry/keys"

    public let directory: URL
    public let issuerKeyPEM: String
    public let tokenSecret: Data

    /// Loads both files from the keys folder `directory`.
    public init(directory: URL) throws {
        self.directory = directory
        let keyURL = directory.appendingPathComponent(Self.issuerKeyFile)
        do { issuerKeyPEM = try String(contentsOf: keyURL, encoding: .utf8) } catch {
            throw RecordedFlowError("the test-only OIDC issuer key \(keyURL.path) cannot be read: \(error.localizedDescription)")
        }
        tokenSecret = try TestTokenSecret.load(from: directory.appendingPathComponent(TestTokenSecret.fileName))
    }

    /// The registry's deterministic token generator.
    public var tokenGenerator: TokenGenerator { .hmac(secret: tokenSecret) }

    /// `sha256:<hex>` of the token secret.
    public var tokenSecretFingerprint: String { TestTokenSecret.fingerprint(tokenSecret) }
}
