import Crypto
import Testing
import X509
@testable import Publish

/// npm 10's sigstore-js re-encodes a certificate whose subject key identifier parses as ASN.1 with a
/// long-form length (a real world bundle failed `npm audit signatures` that way); the publisher never
/// makes such a key.
@Suite("Ephemeral key identifiers npm can read")
struct EphemeralKeyIdentifierTests {
    @Test("an identifier that reads as one element with a long-form length is refused")
    func longFormElementIsRefused() {
        // The identifier seen in the failing world: 8a 81 11 and 17 more bytes (a [10] element, length 17).
        let seen: [UInt8] = [0x8a, 0x81, 0x11] + Array(repeating: 0x43, count: 17)
        #expect(EphemeralSigner.keyIdentifierIsMisreadBySigstoreJS(seen))
        #expect(EphemeralSigner.keyIdentifierIsMisreadBySigstoreJS([0x04, 0x82, 0x00, 0x10] + Array(repeating: 0, count: 16)))
        // Inside a constructed element.
        #expect(EphemeralSigner.keyIdentifierIsMisreadBySigstoreJS([0x30, 0x12, 0x04, 0x81, 0x0f] + Array(repeating: 1, count: 15)))
    }

    @Test("identifiers that do not parse, or parse with short lengths only, are kept")
    func otherIdentifiersAreKept() {
        #expect(!EphemeralSigner.keyIdentifierIsMisreadBySigstoreJS([0x8a, 0x81, 0x12] + Array(repeating: 0x43, count: 17)))
        #expect(!EphemeralSigner.keyIdentifierIsMisreadBySigstoreJS([0x04, 0x12] + Array(repeating: 0x43, count: 18)))
        #expect(!EphemeralSigner.keyIdentifierIsMisreadBySigstoreJS([0x1f, 0x81, 0x11] + Array(repeating: 0, count: 17)))
        #expect(!EphemeralSigner.keyIdentifierIsMisreadBySigstoreJS([]) )
    }

    @Test("fresh keys never carry a misread identifier, computed as the CA computes it")
    func freshKeys() {
        for _ in 0..<64 {
            let signer = EphemeralSigner()
            let identifier = EphemeralSigner.fulcioKeyIdentifier(of: signer.publicKey)
            let asFulcioMakesIt = SubjectKeyIdentifier(hash: Certificate.PublicKey(signer.publicKey))
            #expect(identifier == Array(asFulcioMakesIt.keyIdentifier))
            #expect(identifier.count == 20)
            #expect(!EphemeralSigner.keyIdentifierIsMisreadBySigstoreJS(identifier))
        }
    }
}
