import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import SafeJSON
import SwiftASN1
import Synchronization
import X509

/// A loopback stand-in for the trusted-publishing world (OIDC token endpoint, registry token
/// exchange and publish, Fulcio, Rekor) that speaks the PROTOCOLS wire formats and checks what
/// it can with real crypto: the proof of possession over `sub`, the DSSE signature over the PAE,
/// the bearer tokens. It is not the fixture world: its leaf is a plain X.509 certificate from a
/// throwaway CA (no Fulcio extensions, no SCT), and its log is one entry deep with a fake signature.
final class FakeSigstoreServices: Sendable {
    static let requestToken = "request-token-for-tests"
    static let publishToken = "npm_exchanged_for_tests"
    static let subject = "repo:mochi-lang/mochi:ref:refs/tags/v1.1.0"

    /// GitHub's claim set for the job of `ProvenanceStatementTests.environment`.
    static let jobClaims: [String: JSONValue] = [
        "iss": "https://token.actions.githubusercontent.com", "sub": .string(subject),
        "repository": "mochi-lang/mochi", "repository_owner": "mochi-lang", "repository_id": "74", "repository_owner_id": "65",
        "workflow_ref": "mochi-lang/mochi/.github/workflows/mochi-publish-npm.yml@refs/tags/v1.1.0",
        "job_workflow_ref": "mochi-lang/mochi/.github/workflows/mochi-publish-npm.yml@refs/tags/v1.1.0",
        "ref": "refs/tags/v1.1.0", "sha": "0123456789abcdef0123456789abcdef01234567", "event_name": "push",
        "runner_environment": "github-hosted", "run_id": "4242", "run_attempt": "2",
    ]

    /// What the services saw and hold.
    struct State {
        var requests: [String] = []
        var audiences: [String] = []
        var submittedKey: P256.Signing.PublicKey?
        /// DER of the leaf issued; with `certifyAnotherKey` it certifies a key of its own.
        var issuedLeaf: [UInt8]?
        var certifyAnotherKey = false
        var publishBody: JSONValue?
        var failures: [String: (status: HTTPResponse.Status, body: String)] = [:]
    }

    let state = Mutex(State())

    /// Makes `path` (`token`, `exchange`, `fulcio`, `rekor`, `publish`) answer `status` with `body`.
    func fail(_ step: String, status: HTTPResponse.Status, body: String) {
        state.withLock { $0.failures[step] = (status, body) }
    }

    /// Runs the services on 127.0.0.1:0 and hands `body` their base URL (`http://127.0.0.1:PORT`).
    func serve(_ body: @Sendable (String) async throws -> Void) async throws {
        let responder = CallbackResponder { [self] (request: Request, _: BasicRequestContext) async throws -> Response in
            var request = request
            let bytes = Data(try await request.collectBody(upTo: 16 << 20).readableBytesView)
            return try self.respond(method: request.method.rawValue, uri: request.uri.description,
                                    authorization: request.headers[.authorization], body: bytes)
        }
        let app = Application(responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)")
        }
    }

    // MARK: - Routing

    private func respond(method: String, uri: String, authorization: String?, body: Data) throws -> Response {
        state.withLock { $0.requests.append("\(method) \(uri)") }
        let path = String(uri.split(separator: "?", maxSplits: 1)[0])
        let step = switch (method, path) {
        case ("GET", "/token"): "token"
        case ("POST", "/-/npm/v1/oidc/token/exchange/package/@mochi%2fexample"): "exchange"
        case ("POST", "/fulcio/api/v2/signingCert"): "fulcio"
        case ("POST", "/rekor/api/v1/log/entries"): "rekor"
        case ("PUT", "/registry/@mochi%2fexample"): "publish"
        default: "unknown"
        }
        if let failure = state.withLock({ $0.failures[step] }) { return Self.reply(failure.status, failure.body) }
        switch step {
        case "token": return token(uri: uri, authorization: authorization)
        case "exchange":
            guard let jwt = authorization?.dropFirst("Bearer ".count), Self.claims(of: String(jwt))?["aud"] == "npm:127.0.0.1" else {
                return Self.reply(.unauthorized, #"{"message":"OIDC token exchange error - unauthorized"}"#)
            }
            return Self.reply(.ok, #"{"token":"\#(Self.publishToken)"}"#)
        case "fulcio": return try fulcio(body)
        case "rekor": return try rekor(body)
        case "publish":
            guard authorization == "Bearer \(Self.publishToken)" else { return Self.reply(.unauthorized, #"{"error":"bad token"}"#) }
            let parsed = try JSONValue.parse(body)
            state.withLock { $0.publishBody = parsed }
            return Self.reply(.created, #"{"ok":true}"#)
        default: return Self.reply(.notFound, #"{"error":"Not found"}"#)
        }
    }

    private func token(uri: String, authorization: String?) -> Response {
        guard authorization == "Bearer \(Self.requestToken)" else { return Self.reply(.unauthorized, #"{"message":"bad request token"}"#) }
        guard let query = uri.split(separator: "?", maxSplits: 1).last,
              let audience = query.split(separator: "&").first(where: { $0.hasPrefix("audience=") })?
                .dropFirst("audience=".count).removingPercentEncoding else {
            return Self.reply(.badRequest, #"{"message":"no audience"}"#)
        }
        state.withLock { $0.audiences.append(audience) }
        var claims = Self.jobClaims
        claims["aud"] = .string(audience)
        let segment = { (value: JSONValue) in
            (try! value.serialized()).base64EncodedString().replacingOccurrences(of: "=", with: "")
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        }
        let jwt = segment(["alg": "none"]) + "." + segment(.object(claims)) + ".c2ln"
        return Self.reply(.ok, #"{"count":1,"value":"\#(jwt)"}"#)
    }

    private func fulcio(_ body: Data) throws -> Response {
        let request = try JSONValue.parse(body)
        guard let jwt = request["credentials"]?["oidcIdentityToken"]?.stringValue, Self.claims(of: jwt)?["aud"] == "sigstore",
              let pem = request["publicKeyRequest"]?["publicKey"]?["content"]?.stringValue,
              let proof = request["publicKeyRequest"]?["proofOfPossession"]?.stringValue.flatMap({ Data(base64Encoded: $0) }) else {
            return Self.reply(.unauthorized, #"{"code":16,"message":"bad credentials"}"#)
        }
        let key = try P256.Signing.PublicKey(pemRepresentation: pem)
        let signature = try P256.Signing.ECDSASignature(derRepresentation: proof)
        guard key.isValidSignature(signature, for: Data(Self.subject.utf8)) else {
            return Self.reply(.badRequest, #"{"code":3,"message":"The signature supplied in the request could not be verified"}"#)
        }
        let certified = state.withLock { $0.certifyAnotherKey } ? P256.Signing.PrivateKey().publicKey : key
        let der = try Self.certificate(for: certified)
        state.withLock { $0.submittedKey = key; $0.issuedLeaf = der }
        let leaf = Self.pem(der)
        let chain = [leaf, Self.pem(Array("intermediate".utf8)), Self.pem(Array("root".utf8))]
        let json = JSONValue.object(["signedCertificateEmbeddedSct": ["chain": ["certificates": .array(chain.map(JSONValue.string))]]])
        return Self.reply(.ok, String(decoding: try json.serialized(), as: UTF8.self))
    }

    private func rekor(_ body: Data) throws -> Response {
        let proposal = try JSONValue.parse(body)
        guard let key = state.withLock({ $0.submittedKey }) else { return Self.reply(.badRequest, #"{"message":"no key"}"#) }
        let payload: Data, sig: Data, payloadType: String
        switch (proposal["kind"]?.stringValue, proposal["apiVersion"]?.stringValue) {
        case ("dsse", "0.0.1"):
            guard let text = proposal["spec"]?["proposedContent"]?["envelope"]?.stringValue,
                  let envelope = try? JSONValue.parse(Data(text.utf8)),
                  let p = envelope["payload"]?.stringValue.flatMap({ Data(base64Encoded: $0) }),
                  let s = envelope["signatures"]?.arrayValue?.first?["sig"]?.stringValue.flatMap({ Data(base64Encoded: $0) }),
                  let t = envelope["payloadType"]?.stringValue else { return Self.reply(.badRequest, #"{"message":"bad dsse"}"#) }
            (payload, sig, payloadType) = (p, s, t)
        case ("intoto", "0.0.2"):
            let envelope = proposal["spec"]?["content"]?["envelope"]
            guard let p = Self.doubleBase64(envelope?["payload"]?.stringValue),
                  let s = Self.doubleBase64(envelope?["signatures"]?.arrayValue?.first?["sig"]?.stringValue),
                  let t = envelope?["payloadType"]?.stringValue else { return Self.reply(.badRequest, #"{"message":"bad intoto"}"#) }
            (payload, sig, payloadType) = (p, s, t)
        default: return Self.reply(.badRequest, #"{"message":"unsupported kind"}"#)
        }
        let pae = Data("DSSEv1 \(payloadType.utf8.count) \(payloadType) \(payload.count) ".utf8) + payload
        guard key.isValidSignature(try P256.Signing.ECDSASignature(derRepresentation: sig), for: pae) else {
            return Self.reply(.badRequest, #"{"message":"signature does not verify"}"#)
        }
        let canonical = Data(#"{"apiVersion":"\#(proposal["apiVersion"]!.stringValue!)","kind":"\#(proposal["kind"]!.stringValue!)","spec":{}}"#.utf8)
        let leafHash = Data(SHA256.hash(data: Data([0]) + canonical))
        let hex = { (d: Data) in d.map { String(format: "%02x", $0) }.joined() }
        let entry: JSONValue = [
            "body": .string(canonical.base64EncodedString()), "integratedTime": 1_764_000_000,
            "logID": .string(hex(Data(SHA256.hash(data: Data("fake log key".utf8))))), "logIndex": 7,
            "verification": [
                "signedEntryTimestamp": "ZmFrZQ==",
                "inclusionProof": ["checkpoint": .string("fake - 1\n1\n\(leafHash.base64EncodedString())\n\n— fake AAAA\n"),
                                   "hashes": [], "logIndex": 0, "rootHash": .string(hex(leafHash)), "treeSize": 1],
            ],
        ]
        let response: JSONValue = .object(["24296fb24b8ad77a" + hex(leafHash): entry])
        return Self.reply(.created, String(decoding: try response.serialized(), as: UTF8.self))
    }

    // MARK: - Helpers

    static func reply(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// A 10-minute leaf for `key`, signed by a fresh CA key.
    static func certificate(for key: P256.Signing.PublicKey) throws -> [UInt8] {
        let issuer = try DistinguishedName { CommonName("fake fulcio for tests") }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(key),
            notValidBefore: now, notValidAfter: now.addingTimeInterval(600), issuer: issuer, subject: DistinguishedName(),
            signatureAlgorithm: .ecdsaWithSHA256, extensions: Certificate.Extensions(),
            issuerPrivateKey: Certificate.PrivateKey(P256.Signing.PrivateKey()))
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }

    static func claims(of jwt: String) -> [String: String]? {
        let parts = jwt.split(separator: ".")
        guard parts.count == 3 else { return nil }
        var b64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        return Data(base64Encoded: b64).flatMap { try? JSONValue.parse($0) }?.stringMap
    }

    static func pem(_ der: [UInt8]) -> String {
        "-----BEGIN CERTIFICATE-----\n\(Data(der).base64EncodedString(options: .lineLength64Characters))\n-----END CERTIFICATE-----\n"
    }

    static func doubleBase64(_ text: String?) -> Data? {
        text.flatMap { Data(base64Encoded: $0) }.flatMap { String(data: $0, encoding: .utf8) }.flatMap { Data(base64Encoded: $0) }
    }
}
