import FixtureRegistry
import FixtureSigstore
public import Foundation
import SafeJSON

/// Replays a ``RecordedExchange``: starts a registry at the recorded clock that trusts only the
/// recorded trusted publisher and the TEST-ONLY issuer key (its JWK Set), sends the recorded
/// exchange request and compares the answer byte for byte, then sends every
/// ``ExchangeVariant`` and checks each is refused with npm's error shape (or, for the control,
/// accepted). ``ReplayReport/failures`` lists every mismatch; ``ReplayReport/requireSuccess()`` throws on any.
public struct ExchangeReplay: Sendable {
    public let recording: RecordedExchange
    public let keys: RecordingKeys
    /// Clock skew the replay registry allows for `exp`, `nbf` and `iat` (the registry's default).
    public let skew: TimeInterval = 60

    /// Fails when the key files are not the ones the recording names (issuer `kid`, secret fingerprint).
    public init(recording: RecordedExchange, keys: RecordingKeys) throws {
        guard keys.tokenSecretFingerprint == recording.keys.tokenSecretSHA256 else {
            throw RecordedFlowError("recording \(recording.name): expected the token secret \(recording.keys.tokenSecretSHA256), "
                                    + "found \(keys.tokenSecretFingerprint) in \(keys.directory.path)")
        }
        self.recording = recording
        self.keys = keys
    }

    /// Runs the replay and every variant.
    public func run() async throws -> ReplayReport {
        let clock = PinnedClock(try recording.pinnedDate)
        let issuer = try await OIDCIssuer(issuerURL: recording.issuer, job: recording.job, privateKeyPEM: keys.issuerKeyPEM,
                                          clock: clock.function, nextJTI: { [recording] in recording.jti })
        guard issuer.keyID == recording.keys.issuerKeyID else {
            throw RecordedFlowError("recording \(recording.name): expected the issuer key with kid \(recording.keys.issuerKeyID), "
                                    + "found kid \(issuer.keyID) in \(keys.directory.appendingPathComponent(RecordingKeys.issuerKeyFile).path)")
        }
        let variants = try await ExchangeVariants(recording: recording, issuer: issuer, skew: skew).all()
        let recorded = try recording.step("exchange")

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mochi-replay-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let validator = RecordedTokenValidator(jwks: issuer.jwks, issuer: recording.issuer, clock: clock)
        let storage = try RegistryStorage(directory: folder,
                                          config: RegistryConfig(trustedPublishers: [recording.package: recording.trustedPublisher]),
                                          world: RegistryWorldLink(oidc: validator, transparencyLog: NoTransparencyLog()),
                                          clock: clock.function)
        storage.tokens.tokenGenerator = keys.tokenGenerator
        let registry = try await FixtureRegistryServer.start(storage: storage)
        let http = try RecordedHTTP()
        defer { http.shutdown() }
        do {
            guard let port = URL(string: registry.baseURL)?.port else { throw RecordedFlowError("no port in \(registry.baseURL)") }
            let origin = "http://\(recording.registryHost):\(port)"
            let replayed = try await http.send(recorded.request, to: origin)
            var outcomes: [VariantOutcome] = []
            let pinned = clock.now
            for variant in variants {
                clock.set(variant.clock ?? pinned)
                let response = try await http.send(variant.request, to: origin)
                outcomes.append(VariantOutcome(name: variant.name, expectation: variant.expectation, response: response,
                                               problem: Self.check(response, against: variant.expectation)))
            }
            await registry.stop()
            return ReplayReport(name: recording.name, expected: recorded.response, replayed: replayed, variants: outcomes)
        } catch {
            await registry.stop()
            throw error
        }
    }

    /// Nil when `response` is what `expectation` demands, else what differs.
    static func check(_ response: RecordedExchange.Response, against expectation: ExchangeVariant.Expectation) -> String? {
        let body = try? JSONValue.parse(Data(response.body.utf8))
        let found = "found \(response.status) \(response.body)"
        switch expectation {
        case .accepted:
            guard response.status == 201, body?["token"]?.stringValue?.hasPrefix("npm_") == true else {
                return "expected 201 with {\"token\": \"npm_…\"}, \(found)"
            }
            return nil
        case .unauthorized, .packageNotFound:
            let (status, wording) = expectation == .unauthorized
                ? (401, "OIDC token exchange error - unauthorized") : (404, "OIDC token exchange error - package not found")
            guard response.status == status, response.contentType?.hasPrefix("application/json") == true,
                  body?["message"]?.stringValue?.hasPrefix(wording) == true, body?["token"] == nil else {
                return "expected \(status) application/json {\"message\": \"\(wording)…\"} and no token, \(found)"
            }
            return nil
        }
    }
}

/// What one variant got back.
public struct VariantOutcome: Sendable {
    public let name: String
    public let expectation: ExchangeVariant.Expectation
    public let response: RecordedExchange.Response
    /// Nil when the registry answered as expected.
    public let problem: String?
}

/// The result of a replay.
public struct ReplayReport: Sendable {
    public let name: String
    /// The recorded response of the exchange step.
    public let expected: RecordedExchange.Response
    /// What the replay registry answered to the recorded request.
    public let replayed: RecordedExchange.Response
    public let variants: [VariantOutcome]

    /// Status, content type and body bytes all equal the recording.
    public var byteIdentical: Bool {
        replayed.status == expected.status && replayed.contentType == expected.contentType
            && Data(replayed.body.utf8) == Data(expected.body.utf8)
    }

    /// Every mismatch, one line each.
    public var failures: [String] {
        var lines: [String] = []
        if !byteIdentical {
            lines.append("\(name): expected the recorded exchange response \(expected.status) \(expected.body), "
                         + "found \(replayed.status) \(replayed.body)")
        }
        lines += variants.compactMap { outcome in outcome.problem.map { "\(name): \(outcome.name): \($0)" } }
        return lines
    }

    /// Throws a ``RecordedFlowError`` listing every failure.
    public func requireSuccess() throws {
        guard failures.isEmpty else { throw RecordedFlowError(failures.joined(separator: "\n")) }
    }
}
