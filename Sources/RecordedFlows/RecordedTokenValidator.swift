import FixtureRegistry
import FixtureSigstore
import Foundation
import SafeJSON

/// The replay registry's trust: ID tokens checked against the recorded issuer's JWK Set (made
/// from the TEST-ONLY key) at the pinned clock, exactly as the world's issuer link checks them.
struct RecordedTokenValidator: OIDCTokenValidating {
    let jwks: JSONValue
    let issuer: String
    let clock: PinnedClock

    func verifiedClaims(of jwt: String, audience: String) async throws -> [String: String] {
        let verifier = try await OIDCTokenVerifier(jwks: jwks, issuer: issuer, audience: audience, clock: clock.function)
        return try await verifier.verify(jwt).values.compactMapValues(\.stringValue)
    }
}

/// The replay registry publishes nothing, so it has no transparency log: a publish attestation fails closed.
struct NoTransparencyLog: AttestationTransparencyLog {
    func logEntry(envelope: JSONValue, publicKeyPEM: String) throws -> JSONValue {
        throw RecordedFlowError("the replay registry of a recorded exchange logs no attestations")
    }
}
