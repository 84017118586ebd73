import Crypto
import Foundation
import Publish
import Testing

/// DSSE pre-authentication encoding, the envelope JSON, and the ephemeral key's signatures.
@Suite struct DSSEAndSignerTests {
    @Test func paeMatchesTheSpecificationExample() {
        // secure-systems-lab/dsse protocol.md: PAE("http://example.com/HelloWorld", "hello world").
        let pae = DSSE.pae(payloadType: "http://example.com/HelloWorld", payload: Array("hello world".utf8))
        #expect(String(decoding: pae, as: UTF8.self) == "DSSEv1 29 http://example.com/HelloWorld 11 hello world")
    }

    @Test func paeCountsBytesNotCharacters() {
        let pae = DSSE.pae(payloadType: "t", payload: Array("é".utf8))
        #expect(String(decoding: pae, as: UTF8.self) == "DSSEv1 1 t 2 é")
    }

    @Test func envelopeJSONHasSigstoreJSFieldOrderAndEmptyKeyID() {
        let envelope = DSSE.envelope(payload: Array("{}".utf8), payloadType: "application/vnd.in-toto+json", signature: [1, 2, 3])
        #expect(envelope.text == #"{"payload":"e30=","payloadType":"application/vnd.in-toto+json","signatures":[{"sig":"AQID","keyid":""}]}"#)
    }

    @Test func signatureOverThePAEVerifiesWithThePublicKeyAndFailsWhenAltered() throws {
        let signer = EphemeralSigner()
        let pae = DSSE.pae(payloadType: "application/vnd.in-toto+json", payload: Array(#"{"a":1}"#.utf8))
        let der = try signer.sign(pae)
        let signature = try P256.Signing.ECDSASignature(derRepresentation: der)
        #expect(signer.publicKey.isValidSignature(signature, for: pae))
        var altered = pae
        altered[altered.count - 2] ^= 1
        #expect(!signer.publicKey.isValidSignature(signature, for: altered))
        #expect(signer.publicKeyPEM.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        #expect(EphemeralSigner().publicKeyPEM != signer.publicKeyPEM, "a fresh key per publish")
    }
}
