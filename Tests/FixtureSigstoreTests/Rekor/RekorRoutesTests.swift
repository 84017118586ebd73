import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import SafeJSON
import Testing

@testable import FixtureSigstore
import NIOFoundationEssentialsCompat

/// The Hummingbird adapter, live on 127.0.0.1: Rekor's status codes and JSON shapes, and an API
/// response turned into a bundle entry the way sigstore-js does it still verifies with our consumer.
@Suite struct RekorRoutesTests {
    let signer = RekorTestSigner()

    func withLiveLog(prefix: String = "/rekor", _ body: @Sendable (RekorLog, any TestClientProtocol) async throws -> Void) async throws {
        let log = try RekorLog(configuration: .init(indexOffset: 40), clock: { RekorConsumer.pinnedNow })
        let router = Router()
        log.addRoutes(to: router, prefix: prefix)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in try await body(log, client) }
    }

    static func json(_ buffer: ByteBuffer) throws -> JSONValue { try JSONValue.parse(Data(buffer: buffer)) }

    @Test func postingAnEntryAnswers201WithALogEntryThatVerifies() async throws {
        let proposal = try signer.envelope("{\"posted\":true}").dsseProposal(verifierPEM: try signer.certificatePEM())
        try await withLiveLog { log, client in
            try await client.execute(uri: "/rekor/api/v1/log/entries", method: .post,
                                     headers: [.contentType: "application/json", .accept: "application/json"],
                                     body: ByteBuffer(bytes: proposal)) { response in
                #expect(response.status == .created)
                let object = try #require(try Self.json(response.body).objectValue)
                #expect(object.count == 1)
                let (uuid, entry) = try #require(object.first)
                #expect(uuid.count == 80)
                #expect(response.headers[.location] == "/rekor/api/v1/log/entries/\(uuid)")
                #expect(entry["logIndex"]?.numberValue == 40)
                #expect(entry["logID"]?.stringValue == RekorEncoding.hex(log.logID))
                #expect(entry["verification"]?["inclusionProof"]?["logIndex"]?.numberValue == 0)
                _ = try RekorConsumer.verify(try Self.bundleEntry(fromAPI: entry), log: log)
            }
        }
    }

    /// Behind the CONNECT proxy the log answers at the root of `rekor.sigstore.dev`, as the public one does.
    @Test func theLogCanLiveAtTheRootPath() async throws {
        let proposal = try signer.envelope("{\"root\":true}").dsseProposal(verifierPEM: signer.publicKeyPEM)
        try await withLiveLog(prefix: "/") { log, client in
            try await client.execute(uri: "/api/v1/log/entries", method: .post, body: ByteBuffer(bytes: proposal)) { response in
                #expect(response.status == .created)
                let uuid = try #require(try Self.json(response.body).objectValue?.keys.first)
                #expect(response.headers[.location] == "/api/v1/log/entries/\(uuid)")
            }
            try await client.execute(uri: "/api/v1/log", method: .get) { response in
                let info = try Self.json(response.body)
                #expect(info["treeSize"]?.numberValue == 1)
            }
        }
    }

    @Test func entriesAndTheLogCanBeRead() async throws {
        let proposals = try (0..<3).map { try signer.envelope("{\"n\":\($0)}").dsseProposal(verifierPEM: signer.publicKeyPEM) }
        try await withLiveLog { log, client in
            for proposal in proposals { _ = try log.append(proposedEntry: proposal) }
            try await client.execute(uri: "/rekor/api/v1/log/entries?logIndex=41", method: .get) { response in
                #expect(response.status == .ok)
                let entry = try #require(try Self.json(response.body).objectValue?.first?.value)
                #expect(entry["verification"]?["inclusionProof"]?["treeSize"]?.numberValue == 3)
                _ = try RekorConsumer.verify(try Self.bundleEntry(fromAPI: entry), log: log)
            }
            let uuid = try log.entry(logIndex: 42).uuid
            try await client.execute(uri: "/rekor/api/v1/log/entries/\(uuid)", method: .get) { response in
                #expect(response.status == .ok)
                let object = try Self.json(response.body).objectValue
                #expect(object?.keys.first == uuid)
            }
            try await client.execute(uri: "/rekor/api/v1/log", method: .get) { response in
                #expect(response.status == .ok)
                let info = try Self.json(response.body)
                #expect(info["treeSize"]?.numberValue == 3)
                #expect(info["treeID"]?.stringValue == String(log.treeID))
                #expect(info["rootHash"]?.stringValue == RekorEncoding.hex(try log.entry(logIndex: 40).inclusionProof.rootHash))
                #expect(info["signedTreeHead"]?.stringValue == (try log.checkpoint()))
            }
            try await client.execute(uri: "/rekor/api/v1/log/publicKey", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == log.publicKeyPEM)
                #expect(log.publicKeyPEM.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
            }
        }
    }

    @Test func refusalsUseRekorsErrorShape() async throws {
        var tampered = try signer.envelope("{}")
        tampered.signature[10] ^= 0x01
        let bad = try tampered.dsseProposal(verifierPEM: signer.publicKeyPEM)
        let good = try signer.envelope("{\"ok\":1}").dsseProposal(verifierPEM: signer.publicKeyPEM)
        try await withLiveLog { _, client in
            try await client.execute(uri: "/rekor/api/v1/log/entries", method: .post, body: ByteBuffer(bytes: bad)) { response in
                #expect(response.status == .badRequest)
                let error = try Self.json(response.body)
                #expect(error["code"]?.numberValue == 400)
                #expect(error["message"]?.stringValue?.isEmpty == false)
            }
            let location = try await client.execute(uri: "/rekor/api/v1/log/entries", method: .post, body: ByteBuffer(bytes: good)) { response in
                #expect(response.status == .created)
                return response.headers[.location]
            }
            try await client.execute(uri: "/rekor/api/v1/log/entries", method: .post, body: ByteBuffer(bytes: good)) { response in
                #expect(response.status == .conflict)
                #expect(response.headers[.location] == location)
                let error = try Self.json(response.body)
                #expect(error["code"]?.numberValue == 409)
            }
            try await client.execute(uri: "/rekor/api/v1/log/entries?logIndex=7", method: .get) { response in
                #expect(response.status == .notFound)
                let error = try Self.json(response.body)
                #expect(error["code"]?.numberValue == 404)
            }
            try await client.execute(uri: "/rekor/api/v1/log/entries?logIndex=-1", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    /// What sigstore-js's `toTransparencyLogEntry` makes of a `LogEntryAnon`: hex to base64, numbers to strings.
    static func bundleEntry(fromAPI entry: JSONValue) throws -> JSONValue {
        func base64(hex: JSONValue?) throws -> JSONValue { .string(Data(try #require(RekorEncoding.unhex(hex?.stringValue ?? ""))).base64EncodedString()) }
        func decimal(_ value: JSONValue?) throws -> JSONValue { .string(String(Int64(try #require(value?.numberValue)))) }
        let body = try #require(entry["body"]?.stringValue)
        let kind = try JSONValue.parse(try #require(Data(base64Encoded: body)))
        let proof = try #require(entry["verification"]?["inclusionProof"])
        return [
            "logIndex": try decimal(entry["logIndex"]),
            "logId": ["keyId": try base64(hex: entry["logID"])],
            "integratedTime": try decimal(entry["integratedTime"]),
            "kindVersion": ["kind": try #require(kind["kind"]), "version": try #require(kind["apiVersion"])],
            "inclusionPromise": ["signedEntryTimestamp": try #require(entry["verification"]?["signedEntryTimestamp"])],
            "inclusionProof": [
                "logIndex": try decimal(proof["logIndex"]), "treeSize": try decimal(proof["treeSize"]),
                "rootHash": try base64(hex: proof["rootHash"]),
                "hashes": .array(try (proof["hashes"]?.arrayValue ?? []).map { try base64(hex: $0) }),
                "checkpoint": ["envelope": try #require(proof["checkpoint"])],
            ],
            "canonicalizedBody": .string(body),
        ]
    }
}
