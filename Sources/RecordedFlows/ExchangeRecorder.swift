public import FixtureRegistry
public import FixtureSigstore
import Harness
public import Foundation
import SafeJSON

/// `fixture-registry record`: starts a fixture world at a pinned clock with the TEST-ONLY keys
/// (the OIDC issuer of the Sigstore world on HTTP, and a registry that trusts it and mints
/// HMAC-derived tokens), plays one whole trusted-publishing exchange over HTTP the way npm does
/// (ID-token request with `audience=npm:<host>`, then the exchange POST) and returns it as a
/// ``RecordedExchange``. The same inputs give the same bytes on every run.
public struct ExchangeRecorder: Sendable {
    /// Everything pinned in a recording.
    public struct Inputs: Sendable {
        public var name: String
        public var package: String
        public var job: GitHubActionsJob
        public var clock: Date
        public var trustedPublisher: TrustedPublisher
        /// The job's `ACTIONS_ID_TOKEN_REQUEST_TOKEN`.
        public var requestToken: String
        public var jti: String

        /// Inputs whose request token and `jti` are derived from `name`, so that every recording
        /// differs but each is reproducible.
        public init(name: String, package: String, job: GitHubActionsJob, clock: Date = ExchangeRecorder.defaultClock,
                    trustedPublisher: TrustedPublisher, requestToken: String? = nil, jti: String? = nil) {
            self.name = name
            self.package = package
            self.job = job
            self.clock = clock
            self.trustedPublisher = trustedPublisher
            self.requestToken = requestToken ?? "test-only-request-token-\(name)"
            self.jti = jti ?? StableID.uuid(for: "jti:\(name):\(package):\(job.workflowRef)")
        }
    }

    /// The clock recordings are pinned to unless told otherwise.
    public static let defaultClock = Date(timeIntervalSince1970: 1_768_478_400)  // 2026-01-15T12:00:00Z

    public let keys: RecordingKeys

    public init(keys: RecordingKeys) { self.keys = keys }

    /// Plays the flow and returns the recording; fails (naming the step) unless the issuer answered
    /// 200 with a token and the registry 201 with a publish token.
    public func record(_ inputs: Inputs) async throws -> RecordedExchange {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mochi-record-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = PinnedClock(inputs.clock)
        let world = try await makeWorld(in: folder.appendingPathComponent("world"), inputs: inputs, clock: clock)
        let services = try await WorldServer.start(world)
        let http = try RecordedHTTP()
        defer { http.shutdown() }
        do {
            let storage = try RegistryStorage(directory: folder.appendingPathComponent("registry"),
                                              config: RegistryConfig(trustedPublishers: [inputs.package: inputs.trustedPublisher]),
                                              world: RegistryWorldLink(world: world), clock: clock.function)
            storage.tokens.tokenGenerator = keys.tokenGenerator
            let registry = try await FixtureRegistryServer.start(storage: storage)
            let steps: [RecordedExchange.Step]
            do { steps = try await play(inputs, http: http, services: services, registry: registry) } catch {
                await registry.stop()
                throw error
            }
            await registry.stop()
            await services.stop()
            let host = URL(string: registry.baseURL)?.host ?? ""
            return try recording(of: inputs, issuer: world.issuer, registryHost: host, steps: steps)
        } catch {
            await services.stop()
            throw error
        }
    }

    /// Records and writes `<directory>/<name>.json`; returns the file.
    @discardableResult
    public func record(_ inputs: Inputs, into directory: URL) async throws -> URL {
        let data = try await record(inputs).encoded()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("\(inputs.name).json")
        try data.write(to: file, options: .atomic)
        return file
    }

    // MARK: - Steps

    /// The world: fresh CA and log material, but the TEST-ONLY issuer key, the job, its request token and the pinned `jti`.
    private func makeWorld(in directory: URL, inputs: Inputs, clock: PinnedClock) async throws -> SigstoreWorld {
        var material = try await WorldMaterial.generate(now: clock.now)
        material.oidcKeyPEM = keys.issuerKeyPEM
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try encoder.encode(material).write(to: directory.appendingPathComponent("world-material.json"))
        let jti = inputs.jti
        return try await SigstoreWorld(directory: directory, job: inputs.job, requestToken: inputs.requestToken,
                                       clock: clock.function, nextJTI: { jti })
    }

    /// The ID-token request and the exchange, as npm 11 sends them.
    private func play(_ inputs: Inputs, http: RecordedHTTP, services: WorldServer, registry: RunningRegistry) async throws
        -> [RecordedExchange.Step] {
        let registryOrigin = try RecordedHTTP.origin(of: registry.baseURL)
        guard let host = URL(string: registryOrigin)?.host else { throw RecordedFlowError("no host in \(registryOrigin)") }
        let audience = "npm:\(host)".addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? ""
        let worldOrigin = try RecordedHTTP.origin(of: services.baseURL)
        let tokenPath = String(services.tokenRequestURL.dropFirst(worldOrigin.count)) + "&audience=" + audience
        let tokenRequest = RecordedExchange.Request(method: "GET", path: tokenPath, headers: [
            "accept": "application/json", "authorization": "Bearer \(inputs.requestToken)",
        ])
        let tokenResponse = try await http.send(tokenRequest, to: worldOrigin)
        guard tokenResponse.status == 200, let data = tokenResponse.body.data(using: .utf8),
              let jwt = try? JSONValue.parse(data)["value"]?.stringValue else {
            throw RecordedFlowError("GET \(tokenPath): expected 200 with {\"value\": <jwt>}, "
                                    + "found \(tokenResponse.status) \(tokenResponse.body)")
        }
        let exchangeRequest = RecordedHTTP.exchangeRequest(package: inputs.package, authorization: "Bearer \(jwt)")
        let exchangeResponse = try await http.send(exchangeRequest, to: registryOrigin)
        guard exchangeResponse.status == 201, let body = exchangeResponse.body.data(using: .utf8),
              (try? JSONValue.parse(body)["token"]?.stringValue) != nil else {
            throw RecordedFlowError("POST \(exchangeRequest.path): expected 201 with {\"token\": …}, "
                                    + "found \(exchangeResponse.status) \(exchangeResponse.body)")
        }
        return [RecordedExchange.Step(label: "id-token", request: tokenRequest, response: tokenResponse),
                RecordedExchange.Step(label: "exchange", request: exchangeRequest, response: exchangeResponse)]
    }

    private func recording(of inputs: Inputs, issuer: OIDCIssuer, registryHost host: String, steps: [RecordedExchange.Step])
        throws -> RecordedExchange {
        let jwt = try JSONValue.parse(Data(steps[0].response.body.utf8))["value"]?.stringValue ?? ""
        return RecordedExchange(
            format: RecordedExchange.currentFormat, name: inputs.name,
            notice: "TEST-ONLY recorded OIDC token exchange of the fixture world: "
                + "every key, token and secret here is public and protects nothing.",
            clock: RecordedTime.format(inputs.clock), package: inputs.package, registryHost: host, issuer: issuer.issuerURL,
            job: inputs.job, trustedPublisher: inputs.trustedPublisher,
            keys: .init(folder: RecordingKeys.folderName, issuerKey: RecordingKeys.issuerKeyFile, issuerKeyID: issuer.keyID,
                        tokenSecret: TestTokenSecret.fileName, tokenSecretSHA256: keys.tokenSecretFingerprint),
            requestToken: inputs.requestToken, jti: inputs.jti, jwt: jwt, jwtClaims: try JWTParts(jwt).claims(), steps: steps)
    }
}
