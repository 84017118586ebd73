import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

@testable import FixtureSigstore
@testable import FixtureTUF

/// A tiny loopback npm registry for the real-npm witness: one package, one version, a registry
/// signature made with a P-256 key, and (optionally) `/-/npm/v1/keys`. It answers with the
/// proxy's own `TunnelHTTPHandler` over plain HTTP, so it records what npm asked for.
final class TUFWitnessRegistryStub: Sendable {
    let name = "tuf-witness", version = "1.0.0"
    let signingKey = P256.Signing.PrivateKey()
    private let responder = TUFMutableResponder()
    private let server: TUFTestHTTPServer

    init() { server = TUFTestHTTPServer(responder: responder) }

    var records: [ProxyRecord] { server.records }
    func start() async throws -> Int { try await server.start() }
    func stop() async throws { try await server.stop() }

    /// `SHA256:` + unpadded base64 of SHA-256 over the OpenSSH wire form of the key (PROTOCOLS §2.5).
    var keyID: String {
        func string(_ bytes: some Collection<UInt8>) -> [UInt8] {
            withUnsafeBytes(of: UInt32(bytes.count).bigEndian, Array.init) + Array(bytes)
        }
        let wire = string(Array("ecdsa-sha2-nistp256".utf8)) + string(Array("nistp256".utf8)) + string(signingKey.publicKey.x963Representation)
        return "SHA256:" + Data(SHA256.hash(data: wire)).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    /// `/-/npm/v1/keys` shape.
    var keysDocument: Data {
        Data(#"{"keys":[{"expires":null,"keyid":"\#(keyID)","keytype":"ecdsa-sha2-nistp256","scheme":"ecdsa-sha2-nistp256","key":"\#(signingKey.publicKey.derRepresentation.base64EncodedString())"}]}"#.utf8)
    }

    /// The TUF target `<host>/keys.json` shape (Sigstore's `keys.json`).
    var tufKeysTarget: Data {
        Data(#"{"keys":[{"keyId":"\#(keyID)","keyUsage":"npm:signatures","publicKey":{"rawBytes":"\#(signingKey.publicKey.derRepresentation.base64EncodedString())","keyDetails":"PKIX_ECDSA_P256_SHA_256","validFor":{"start":"2020-01-01T00:00:00.000Z"}}}]}"#.utf8)
    }

    /// Publishes `tarball` at `port`: packument (full, with `time` and a registry signature) and tarball;
    /// `/-/npm/v1/keys` only when `serveKeys`; with `attestation`, `dist.attestations` and a publish
    /// attestation whose subject matches but whose bundle cannot verify (it has no valid tlog entry), so
    /// npm must fetch `trusted_root.json` through TUF before it reports the attestation invalid.
    func publish(tarball: Data, port: Int, serveKeys: Bool, attestation: Bool = false) throws {
        let integrity = "sha512-" + Data(SHA512.hash(data: tarball)).base64EncodedString()
        let shasum = Insecure.SHA1.hash(data: tarball).map { String(format: "%02x", $0) }.joined()
        let signature = try signingKey.signature(for: Data("\(name)@\(version):\(integrity)".utf8)).derRepresentation.base64EncodedString()
        let tarballPath = "/\(name)/-/\(name)-\(version).tgz"
        let packument = #"""
        {"_id":"\#(name)","name":"\#(name)","dist-tags":{"latest":"\#(version)"},
         "time":{"created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","\#(version)":"2026-01-01T00:00:00.000Z"},
         "versions":{"\#(version)":{"_id":"\#(name)@\#(version)","name":"\#(name)","version":"\#(version)",
           "dist":{"integrity":"\#(integrity)","shasum":"\#(shasum)","tarball":"http://127.0.0.1:\#(port)\#(tarballPath)",
                   "signatures":[{"keyid":"\#(keyID)","sig":"\#(signature)"}]\#(attestation ? attestationsField(port: port) : "")}}}}
        """#
        var files = ["/\(name)": Data(packument.utf8), tarballPath: tarball]
        if attestation { files["/-/npm/v1/attestations/\(name)@\(version)"] = try attestationsDocument(tarball: tarball) }
        if serveKeys { files["/-/npm/v1/keys"] = keysDocument }
        responder.set(files)
    }
}

extension TUFWitnessRegistryStub {
    func attestationsField(port: Int) -> String {
        #","attestations":{"url":"http://127.0.0.1:\#(port)/-/npm/v1/attestations/\#(name)@\#(version)","provenance":{"predicateType":"https://slsa.dev/provenance/v1"}}"#
    }

    /// A publish attestation (registry key id) with a correctly signed DSSE envelope but a fake tlog entry.
    func attestationsDocument(tarball: Data) throws -> Data {
        let sha512 = SHA512.hash(data: tarball).map { String(format: "%02x", $0) }.joined()
        let statement = #"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"pkg:npm/\#(name)@\#(version)","digest":{"sha512":"\#(sha512)"}}],"predicateType":"https://github.com/npm/attestation/tree/main/specs/publish/v0.1","predicate":{"name":"\#(name)","version":"\#(version)","registry":"https://registry.npmjs.org"}}"#
        let payloadType = "application/vnd.in-toto+json"
        let pae = "DSSEv1 \(payloadType.utf8.count) \(payloadType) \(statement.utf8.count) \(statement)"
        let sig = try signingKey.signature(for: Data(pae.utf8)).derRepresentation.base64EncodedString()
        let payload = Data(statement.utf8).base64EncodedString()
        return Data(#"""
        {"attestations":[{"predicateType":"https://github.com/npm/attestation/tree/main/specs/publish/v0.1","bundle":{
          "mediaType":"application/vnd.dev.sigstore.bundle+json;version=0.1",
          "verificationMaterial":{"publicKey":{"hint":"\#(keyID)"},"tlogEntries":[{"logIndex":"1","logId":{"keyId":"AAAA"},
            "kindVersion":{"kind":"intoto","version":"0.0.2"},"integratedTime":"1767225600",
            "inclusionPromise":{"signedEntryTimestamp":"AAAA"},"canonicalizedBody":"e30="}]},
          "dsseEnvelope":{"payload":"\#(payload)","payloadType":"\#(payloadType)","signatures":[{"keyid":"\#(keyID)","sig":"\#(sig)"}]}}}]}
        """#.utf8)
    }
}

/// A plain-HTTP server on 127.0.0.1 answering with a `TunnelResponder` through the proxy's own
/// `TunnelHTTPHandler`, recording each exchange.
final class TUFTestHTTPServer: Sendable {
    private let responder: any TunnelResponder
    private let log = ProxyLog()
    private let channel = Mutex<Channel?>(nil)

    init(responder: any TunnelResponder) { self.responder = responder }

    var records: [ProxyRecord] { log.records }

    func start() async throws -> Int {
        let responder = self.responder, log = self.log
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        TunnelHTTPHandler(host: "loopback", serverName: nil, responder: responder, log: log))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        channel.withLock { $0 = server }
        return server.localAddress!.port!
    }

    func stop() async throws {
        try await channel.withLock { $0 }?.close()
    }
}

/// A static responder whose files can be set after the server has its port.
final class TUFMutableResponder: TunnelResponder {
    private let files = Mutex<[String: Data]>([:])

    func set(_ newFiles: [String: Data]) { files.withLock { $0 = newFiles } }

    func respond(to request: TunnelRequest) async -> TunnelResponse {
        let snapshot = files.withLock { $0 }
        let contentType = request.path.hasSuffix(".tgz") ? "application/octet-stream" : "application/json"
        return await StaticFileResponder(files: snapshot, contentType: contentType).respond(to: request)
    }
}
