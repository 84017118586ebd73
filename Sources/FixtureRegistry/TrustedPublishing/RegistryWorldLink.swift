import Foundation
public import SafeJSON

/// The transparency log the registry records its publish attestations in (the fixture
/// world's Rekor), so they verify the way npm's do: with a log entry, not a bare signature.
public protocol AttestationTransparencyLog: Sendable {
    /// Logs a DSSE envelope signed by the key in `publicKeyPEM`; returns the bundle's `tlogEntries[]` item.
    func logEntry(envelope: JSONValue, publicKeyPEM: String) throws -> JSONValue
}

/// What the registry trusts from the fixture Sigstore world. Without it the registry serves
/// no token exchange and its publish attestations carry no log entry.
public struct RegistryWorldLink: Sendable {
    /// Verifies GitHub Actions ID tokens for the trusted-publishing exchange.
    public var oidc: any OIDCTokenValidating
    /// Where publish attestations are logged.
    public var transparencyLog: any AttestationTransparencyLog

    public init(oidc: any OIDCTokenValidating, transparencyLog: any AttestationTransparencyLog) {
        self.oidc = oidc
        self.transparencyLog = transparencyLog
    }
}
