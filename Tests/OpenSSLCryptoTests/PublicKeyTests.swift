import Foundation
import OpenSSLCrypto
import Testing

@Suite struct PublicKeyTests {
    typealias F = KeyFixtures

    @Test func ed25519RawKeyVerifiesAndRejectsTamperedMessage() throws {
        let key = try PublicKey(rawEd25519: F.bytes(F.edRaw))
        #expect(key.kind == .ed25519)
        #expect(key.verify(signature: F.bytes(F.edSig), message: F.message, digest: nil))
        #expect(!key.verify(signature: F.bytes(F.edSig), message: F.message + [0], digest: nil))
        #expect(key.spkiDER.count == 44)
    }

    @Test func ecdsaP384SPKIVerifiesWithSHA384() throws {
        let key = try PublicKey(spkiDER: F.bytes(F.ecSPKI))
        #expect(key.kind == .ecdsa(curve: "secp384r1"))
        #expect(key.verify(signature: F.bytes(F.ecSig), message: F.message, digest: .sha384))
        #expect(!key.verify(signature: F.bytes(F.ecSig), message: F.message, digest: .sha256))
        #expect(key.verify(signature: F.bytes(F.ecSig), prehashedDigest: Digest.hash(.sha384, F.message), algorithm: .sha384))
        #expect(key.spkiDER == F.bytes(F.ecSPKI))
    }

    @Test func rsaPEMVerifiesPKCS1AndPSS() throws {
        let key = try PublicKey(pem: F.rsaPEM)
        #expect(key.kind == .rsa(bits: 2048))
        #expect(key.verify(signature: F.bytes(F.rsaSig), message: F.message, digest: .sha256))
        #expect(!key.verify(signature: F.bytes(F.rsaSig), message: F.message, digest: .sha256, rsaPadding: .pss))
        #expect(key.verify(signature: F.bytes(F.rsaPSSSig), message: F.message, digest: .sha256, rsaPadding: .pss))
        #expect(key.verify(signature: F.bytes(F.rsaSig), prehashedDigest: Digest.hash(.sha256, F.message), algorithm: .sha256))
    }

    @Test func rsaPKCS1DERMatchesPEM() throws {
        let pkcs1 = try PublicKey(rsaPKCS1DER: F.bytes(F.rsaPKCS1))
        #expect(pkcs1.spkiDER == (try PublicKey(pem: F.rsaPEM)).spkiDER)
    }

    @Test func malformedKeysThrowWithOpenSSLReasons() {
        #expect(throws: OpenSSLError.self) { try PublicKey(spkiDER: [0x30, 0x03, 0x01]) }
        #expect(throws: OpenSSLError.self) { try PublicKey(spkiDER: F.bytes(F.ecSPKI) + [0]) }
        #expect(throws: OpenSSLError.self) { try PublicKey(pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n") }
        #expect(throws: OpenSSLError.self) { try PublicKey(rawEd25519: [1, 2, 3]) }
        let error = #expect(throws: OpenSSLError.self) { try PublicKey(spkiDER: [0x30, 0x03, 0x01]) }
        #expect(error?.reasons.isEmpty == false)
    }

    @Test func garbageSignaturesAreFalseNotCrashes() throws {
        let key = try PublicKey(spkiDER: F.bytes(F.ecSPKI))
        #expect(!key.verify(signature: [], message: F.message, digest: .sha256))
        #expect(!key.verify(signature: [0x30, 0xFF], message: F.message, digest: .sha256))
        #expect(!key.verify(signature: F.bytes(F.ecSig), prehashedDigest: [1, 2], algorithm: .sha256))
    }
}
