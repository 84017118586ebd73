import Crypto
import FixtureSigstore
import Foundation
import SafeJSON
import Synchronization
import _CryptoExtras

/// A clock tests can pin and move.
final class IdentityTestClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date) { current = Mutex(start) }
    var now: Date { current.withLock { $0 } }
    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var closure: @Sendable () -> Date { { [self] in now } }
}

/// One job, its issuer, a CT log and a Fulcio CA, all on a pinned clock.
struct IdentityFixture {
    static let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
    static let issuerURL = "http://127.0.0.1:4999/oidc"
    /// One RSA-2048 issuer key for the whole run (generating one per test is slow in debug builds).
    static let issuerKeyPEM: String = try! _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation

    let clock: IdentityTestClock
    let job: GitHubActionsJob
    let issuer: OIDCIssuer
    let ctLog: CTLog
    let fulcio: FulcioCA

    static func make(job: GitHubActionsJob = .init(repository: "mochi-lang/example", environment: nil)) async throws -> IdentityFixture {
        let clock = IdentityTestClock(start)
        let issuer = try await OIDCIssuer(issuerURL: issuerURL, job: job, requestToken: "request-token-for-tests",
                                        privateKeyPEM: issuerKeyPEM, clock: clock.closure)
        let verifier = try await OIDCTokenVerifier(jwks: issuer.jwks, issuer: issuerURL, audience: "sigstore", clock: clock.closure)
        let ctLog = try CTLog(clock: clock.closure)
        let material = try FulcioCA.Material.generate(notBefore: start.addingTimeInterval(-86_400))
        let fulcio = try FulcioCA(material: material, ctLog: ctLog, tokenVerifier: verifier, clock: clock.closure)
        return IdentityFixture(clock: clock, job: job, issuer: issuer, ctLog: ctLog, fulcio: fulcio)
    }

    /// A Fulcio request for `token`, with an ephemeral P-256 key that signs `sub` (or `popSubject`),
    /// the proof signed by `popKey` when given (to forge a mismatch).
    static func signingRequest(token: String, key: P256.Signing.PrivateKey = .init(), popKey: P256.Signing.PrivateKey? = nil,
                               popSubject: String? = nil) throws -> JSONValue {
        let subject = try popSubject ?? subjectClaim(of: token)
        let proof = try (popKey ?? key).signature(for: Data(subject.utf8)).derRepresentation
        return [
            "credentials": ["oidcIdentityToken": .string(token)],
            "publicKeyRequest": [
                "publicKey": ["algorithm": "ECDSA", "content": .string(key.publicKey.pemRepresentation)],
                "proofOfPossession": .string(proof.base64EncodedString()),
            ],
        ]
    }

    /// The JWT payload, decoded without verification.
    static func payload(of token: String) throws -> JSONValue {
        let part = String(token.split(separator: ".")[1])
        var base64 = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return try JSONValue.parse(Data(base64Encoded: base64)!)
    }

    static func subjectClaim(of token: String) throws -> String { try payload(of: token)["sub"]?.stringValue ?? "" }

    /// A trusted_root.json holding this world's CA and CT log.
    func trustedRootJSON() throws -> Data {
        let root: JSONValue = [
            "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
            "tlogs": [],
            "certificateAuthorities": [try fulcio.trustedRootEntry()],
            "ctlogs": [ctLog.trustedRootEntry(validFrom: Self.start.addingTimeInterval(-86_400))],
            "timestampAuthorities": [],
        ]
        return try root.serialized()
    }
}
