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

    /// One key in two encodings (compressed EC point; RSA as rsaEncryption and as RSASSA-PSS):
    /// different SPKI DER, one canonical identity; different keys keep different identities.
    @Test func oneKeyInTwoEncodingsHasOneCanonicalIdentity() throws {
        let der = F.bytes(F.ecSPKI)
        let uncompressed = try PublicKey(spkiDER: der)
        let x = Array(der.suffix(96).prefix(48)), y = Array(der.suffix(48))
        let p384Compressed: [UInt8] = [0x30, 0x46, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
                                       0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22, 0x03, 0x32, 0x00]
        let compressed = try PublicKey(spkiDER: p384Compressed + [y[47] & 1 == 1 ? 0x03 : 0x02] + x)
        #expect(compressed.spkiDER != uncompressed.spkiDER)
        #expect(compressed.canonicalIdentity == uncompressed.canonicalIdentity)

        let pkcs1 = F.bytes(F.rsaPKCS1)
        let pssSPKI: [UInt8] = [0x30, 0x82, 0x01, 0x20, 0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a,
                                0x03, 0x82, 0x01, 0x0f, 0x00] + pkcs1
        let pss = try PublicKey(spkiDER: pssSPKI)
        let rsa = try PublicKey(pem: F.rsaPEM)
        #expect(pss.spkiDER != rsa.spkiDER)
        #expect(pss.canonicalIdentity == rsa.canonicalIdentity)
        #expect(rsa.canonicalIdentity != uncompressed.canonicalIdentity)
        let ed = try PublicKey(rawEd25519: F.bytes(F.edRaw))
        #expect(ed.canonicalIdentity == Array("ed25519".utf8) + [0, 0, 0, 32] + F.bytes(F.edRaw))
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
