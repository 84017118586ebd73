import FixtureTesting
import Foundation
import SafeJSON
import Testing

@testable import FixtureSigstore

/// Proposed entries: canonical bodies byte-equal to real Rekor's, and the refusals Rekor makes.
@Suite struct RekorProposalTests {
    let signer = RekorTestSigner()

    static let vectors = Repository.vectors

    static func bundle(_ relative: String) throws -> JSONValue {
        try JSONValue.parse(try Data(contentsOf: vectors.appendingPathComponent(relative)), maxDepth: 64)
    }

    static func body(of bundle: JSONValue) throws -> [UInt8] {
        let text = bundle["verificationMaterial"]?["tlogEntries"]?.arrayValue?.first?["canonicalizedBody"]?.stringValue
        return try #require(text.flatMap { Data(base64Encoded: $0) }.map(Array.init))
    }

    static func envelope(of bundle: JSONValue) throws -> RekorTestEnvelope {
        let dsse = try #require(bundle["dsseEnvelope"])
        let signature = try #require(dsse["signatures"]?.arrayValue?.first)
        return RekorTestEnvelope(payload: Array(try #require(Data(base64Encoded: dsse["payload"]?.stringValue ?? ""))),
                            payloadType: try #require(dsse["payloadType"]?.stringValue),
                            signature: Array(try #require(Data(base64Encoded: signature["sig"]?.stringValue ?? ""))),
                            keyid: signature["keyid"]?.stringValue ?? "")
    }

    // MARK: - Known answers from the public log

    @Test func dsseBodyEqualsPublicRekorsForARealBundle() throws {
        let bundle = try Self.bundle("sigstore-conformance/bundle-verify/happy-path-intoto-in-dsse-v3/bundle.sigstore.json")
        let der = try #require(Data(base64Encoded: bundle["verificationMaterial"]?["certificate"]?["rawBytes"]?.stringValue ?? ""))
        let envelope = try Self.envelope(of: bundle)
        // PEM as sigstore-js sends it (76-column lines), to show the log re-encodes it canonically.
        let pem = "-----BEGIN CERTIFICATE-----\n" + der.base64EncodedString(options: .lineLength76Characters) + "\n-----END CERTIFICATE-----\n"
        let canonical = try RekorProposal.canonicalize(try envelope.dsseProposal(verifierPEM: pem))
        #expect(canonical.kind == "dsse")
        #expect(String(decoding: canonical.body, as: UTF8.self) == String(decoding: try Self.body(of: bundle), as: UTF8.self))
    }

    @Test(arguments: [0, 1])
    func intotoBodyEqualsPublicRekorsForRealNpmAttestations(_ index: Int) throws {
        let response = try Self.bundle("npm-real/npm-cli/valid-sigstore-attestations.json")
        let bundle = try #require(response["attestations"]?.arrayValue?[index]["bundle"])
        let expected = try Self.body(of: bundle)
        let logged = try JSONValue.parse(Data(expected))
        let signature = try #require(logged["spec"]?["content"]?["envelope"]?["signatures"]?.arrayValue?.first)
        // The publicKey and the client-computed hash are passed through by Rekor, so take them from the real entry.
        let pem = String(decoding: try #require(Data(base64Encoded: signature["publicKey"]?.stringValue ?? "")), as: UTF8.self)
        let hash = try #require(logged["spec"]?["content"]?["hash"]?["value"]?.stringValue)
        let proposal = try Self.envelope(of: bundle).intotoProposal(publicKeyPEM: pem, hash: hash)
        let canonical = try RekorProposal.canonicalize(proposal)
        #expect(canonical.kind == "intoto")
        #expect(String(decoding: canonical.body, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }

    // MARK: - Refusals

    @Test func aBadDSSESignatureIsRefused() throws {
        var envelope = try signer.envelope("{\"statement\":1}")
        envelope.signature[envelope.signature.count - 1] ^= 0x01
        let error = #expect(throws: RekorError.self) { try RekorProposal.canonicalize(try envelope.dsseProposal(verifierPEM: signer.publicKeyPEM)) }
        #expect(error?.code == .badRequest)
        #expect(error?.message.contains("does not verify") == true)
    }

    @Test func aPayloadChangedAfterSigningIsRefused() throws {
        var envelope = try signer.envelope("{\"statement\":1}")
        envelope.payload = Array("{\"statement\":2}".utf8)
        #expect(throws: RekorError.self) { try RekorProposal.canonicalize(try envelope.intotoProposal(publicKeyPEM: signer.publicKeyPEM)) }
        #expect(throws: RekorError.self) { try RekorProposal.canonicalize(try envelope.dsseProposal(verifierPEM: signer.publicKeyPEM)) }
    }

    @Test func aVerifierOfAnotherKeyIsRefused() throws {
        let envelope = try signer.envelope("{}")
        let other = RekorTestSigner()
        #expect(throws: RekorError.self) { try RekorProposal.canonicalize(try envelope.dsseProposal(verifierPEM: try other.certificatePEM())) }
        #expect(throws: RekorError.self) { try RekorProposal.canonicalize(try envelope.intotoProposal(publicKeyPEM: other.publicKeyPEM)) }
    }

    @Test(arguments: [
        #"not json"#,
        #"{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{}}"#,
        #"{"apiVersion":"0.0.1","kind":"intoto","spec":{}}"#,
        #"{"apiVersion":"0.0.1","kind":"dsse","spec":{}}"#,
        #"{"apiVersion":"0.0.1","kind":"dsse","spec":{"proposedContent":{"envelope":"{}","verifiers":[]}}}"#,
        #"{"apiVersion":"0.0.1","kind":"dsse","spec":{"proposedContent":{"envelope":"{}","verifiers":["bm90IGEgcGVt"]}}}"#,
        #"{"apiVersion":"0.0.2","kind":"intoto","spec":{"content":{"envelope":{"payloadType":"x","signatures":[]},"hash":{"algorithm":"sha256","value":"00"}}}}"#,
    ])
    func malformedProposalsAreBadRequests(_ text: String) {
        let error = #expect(throws: RekorError.self) { try RekorProposal.canonicalize(Data(text.utf8)) }
        #expect(error?.code == .badRequest)
    }

    @Test func serverSideFieldsInADSSEProposalAreRefused() throws {
        let envelope = try signer.envelope("{}")
        guard case .object(var root) = try JSONValue.parse(try envelope.dsseProposal(verifierPEM: signer.publicKeyPEM)),
              case .object(var spec) = root["spec"]! else { Issue.record("proposal shape"); return }
        spec["payloadHash"] = ["algorithm": "sha256", "value": .string(String(repeating: "0", count: 64))]
        root["spec"] = .object(spec)
        #expect(throws: RekorError.self) { try RekorProposal.canonicalize(try JSONValue.object(root).serialized()) }
    }

    @Test func theSameEntryTwiceIsAConflict() throws {
        let log = try RekorLog()
        let proposal = try signer.envelope("{}").dsseProposal(verifierPEM: signer.publicKeyPEM)
        let first = try log.append(proposedEntry: proposal)
        let error = #expect(throws: RekorError.self) { try log.append(proposedEntry: proposal) }
        #expect(error?.code == .conflict)
        #expect(error?.message.contains(first.uuid) == true)
        #expect(log.treeSize == 1)
    }
}
