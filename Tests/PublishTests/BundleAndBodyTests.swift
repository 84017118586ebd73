import Foundation
import Publish
import SafeJSON
import SigstoreModels
import Testing
import CodedError

/// Bundle assembly (v0.3 and npm 10's v0.2), Rekor response parsing, and the publish PUT body.
@Suite struct BundleAndBodyTests {
    static let body = Array(#"{"apiVersion":"0.0.1","kind":"dsse","spec":{}}"#.utf8)
    static let rekorResponse = #"""
        {"2a1b":{"body":"\#(Data(body).base64EncodedString())","integratedTime":1728923609,
        "logID":"c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d","logIndex":139993835,
        "verification":{"signedEntryTimestamp":"AQID","inclusionProof":{"checkpoint":"origin\n3\nAA==\n\n— x AAAA\n",
        "hashes":["00ff","ff00"],"logIndex":18089573,"rootHash":"0a0b","treeSize":18089576}}}}
        """#

    static func entry() throws -> TransparencyLogEntry {
        try RekorExchange.entry(fromResponse: Data(rekorResponse.utf8), url: "http://rekor/api/v1/log/entries")
    }

    static let envelope = DSSE.envelope(payload: Array(#"{"_type":"x"}"#.utf8), payloadType: "application/vnd.in-toto+json", signature: [9, 9])

    @Test func rekorResponseParsesHexToBytesAndKeepsBothIndexes() throws {
        let entry = try Self.entry()
        #expect(entry.logIndex == 139_993_835 && entry.inclusionProof?.logIndex == 18_089_573)
        #expect(entry.kind == "dsse" && entry.version == "0.0.1")
        #expect(entry.logID.count == 32 && entry.logID.first == 0xC0)
        #expect(entry.inclusionProof?.hashes == [[0x00, 0xFF], [0xFF, 0x00]])
        #expect(entry.canonicalizedBody == Self.body)
    }

    @Test(arguments: ["{}", #"{"a":{},"b":{}}"#, #"{"u":{"body":"!!","logID":"00","logIndex":1,"integratedTime":1}}"#])
    func malformedRekorResponsesAreRefusedNamingTheURL(text: String) {
        let error = #expect(throws: PublishError.self) { try RekorExchange.entry(fromResponse: Data(text.utf8), url: "http://rekor/x") }
        #expect(error?.message.contains("http://rekor/x") == true)
    }

    @Test func v03BundleHasSigstoreJSFieldOrderAndDecodesStrictly() throws {
        let bundle = BundleAssembler.bundle(version: .v03, leafCertificate: [1, 2, 3], entry: try Self.entry(), envelope: Self.envelope)
        #expect(bundle.text.hasPrefix(#"{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"certificate":{"rawBytes":"AQID"},"tlogEntries":[{"logIndex":"139993835","logId":{"keyId":"wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0="},"kindVersion":{"kind":"dsse","version":"0.0.1"},"integratedTime":"1728923609","inclusionPromise":{"signedEntryTimestamp":"AQID"},"inclusionProof":{"logIndex":"18089573","rootHash":"Cgs=","treeSize":"18089576","hashes":["AP8=","/wA="],"checkpoint":{"envelope":"origin\n3\nAA==\n\n— x AAAA\n"}},"canonicalizedBody":"#))
        #expect(bundle.text.hasSuffix(#""timestampVerificationData":{"rfc3161Timestamps":[]}},"dsseEnvelope":\#(Self.envelope.text)}"#))
        let decoded = try SigstoreBundle(jsonData: Data(bundle.bytes))
        #expect(decoded.version == .v0_3)
        #expect(decoded.signingMaterial == .certificate([1, 2, 3]))
        #expect(decoded.tlogEntries.first?.inclusionProof?.checkpoint != nil)
    }

    @Test func v02BundleUsesALeafOnlyCertificateChain() throws {
        let bundle = BundleAssembler.bundle(version: .v02, leafCertificate: [1, 2, 3], entry: try Self.entry(), envelope: Self.envelope)
        #expect(bundle.text.contains(#""verificationMaterial":{"x509CertificateChain":{"certificates":[{"rawBytes":"AQID"}]},"#))
        let decoded = try SigstoreBundle(jsonData: Data(bundle.bytes))
        #expect(decoded.version == .v0_2 && decoded.signingMaterial == .certificateChain([[1, 2, 3]]))
    }

    @Test func dssePAEAgreesWithTheConsumersIndependentImplementation() {
        let payload = Array(#"{"subject":[]}"#.utf8)
        #expect(DSSE.pae(payloadType: "application/vnd.in-toto+json", payload: payload)
            == DSSEEnvelope.pae(payloadType: "application/vnd.in-toto+json", payload: payload))
    }

    @Test func dsseProposalCarriesTheEnvelopeAsAJSONStringAndTheCertificatePEMInBase64() {
        let proposal = RekorExchange.dsseProposal(envelope: Self.envelope, certificatePEM: "PEM\n")
        #expect(proposal.text == #"{"apiVersion":"0.0.1","kind":"dsse","spec":{"proposedContent":{"envelope":\#(OrderedJSON.string(Self.envelope.text).text),"verifiers":["UEVNCg=="]}}}"#)
    }

    @Test func intotoProposalDoubleEncodesPayloadAndSignature() throws {
        let proposal = RekorExchange.intotoProposal(payload: Array("{}".utf8), payloadType: "t", signature: [1], certificatePEM: "P")
        let parsed = try JSONValue.parse(Data(proposal.bytes))
        let envelope = parsed["spec"]?["content"]?["envelope"]
        #expect(envelope?["payload"] == .string(Data("e30=".utf8).base64EncodedString()))
        #expect(envelope?["signatures"]?.arrayValue?.first?["sig"] == .string(Data("AQ==".utf8).base64EncodedString()))
        #expect(parsed["spec"]?["content"]?["payloadHash"]?["value"]
            == "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")  // SHA-256("{}")
    }

    @Test func fulcioRequestSignsTheSubjectClaim() throws {
        let claims = Data(#"{"iss":"https://token.actions.githubusercontent.com","sub":"repo:o/r:ref:refs/tags/v1"}"#.utf8)
        let jwt = "e30." + claims.base64EncodedString().replacingOccurrences(of: "=", with: "") + ".c2ln"
        #expect(try FulcioExchange.challenge(fromJWT: jwt) == "repo:o/r:ref:refs/tags/v1")
        let body = FulcioExchange.requestBody(idToken: jwt, publicKeyPEM: "K", proofOfPossession: [1])
        #expect(body.text == #"{"credentials":{"oidcIdentityToken":"\#(jwt)"},"publicKeyRequest":{"publicKey":{"algorithm":"ECDSA","content":"K"},"proofOfPossession":"AQ=="}}"#)
        #expect(throws: PublishError.self) { try FulcioExchange.challenge(fromJWT: "not-a-jwt") }
    }

    @Test func publishBodyHasLibnpmpublishShape() throws {
        let package = PackedPackage(name: "@mochi/example", version: "1.1.0",
                                    manifest: ["name": "@mochi/example", "version": "1.1.0", "description": "Formats lines"],
                                    tarball: Data([1, 2, 3, 4]))
        let bundle = BundleAssembler.bundle(version: .v03, leafCertificate: [1], entry: try Self.entry(), envelope: Self.envelope)
        let body = PublishBody.make(package: package, endpoints: try RegistryEndpoints(registry: "http://127.0.0.1:4873/"), bundle: bundle)
        #expect(body.text.hasPrefix(#"{"_id":"@mochi/example","name":"@mochi/example","description":"Formats lines","dist-tags":{"latest":"1.1.0"},"versions":{"1.1.0":{"description":"Formats lines","name":"@mochi/example","version":"1.1.0","_id":"@mochi/example@1.1.0","dist":{"integrity":"\#(package.integrity)","shasum":"\#(package.shasum)","tarball":"http://127.0.0.1:4873/@mochi/example/-/@mochi/example-1.1.0.tgz"}}},"access":"public","_attachments":{"@mochi/example-1.1.0.tgz":{"content_type":"application/octet-stream","data":"AQIDBA==","length":4},"@mochi/example-1.1.0.sigstore":{"content_type":"application/vnd.dev.sigstore.bundle.v0.3+json","data":"#))
        let parsed = try JSONValue.parse(Data(body.bytes))
        #expect(parsed["_attachments"]?["@mochi/example-1.1.0.sigstore"]?["data"]?.stringValue == bundle.text)

        let unsigned = PublishBody.make(package: package, endpoints: try RegistryEndpoints(registry: "http://h/"), access: nil)
        let plain = try JSONValue.parse(Data(unsigned.bytes))
        #expect(plain["access"] == .null)
        #expect(plain["_attachments"]?.objectValue?.keys.sorted() == ["@mochi/example-1.1.0.tgz"])
    }
}
